using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>A <see cref="TinyModel"/> whose validation logs a scripted <c>val_loss</c>: the n-th validation run logs the n-th value.</summary>
internal sealed class ScriptedModel(params double[] values) : TinyModel
{
    private int _checks;

    public override StepOutput? ValidationStep((Tensor X, Tensor Y) batch, int batchIdx)
    {
        Log("val_loss", values[Math.Min(_checks, values.Length - 1)]);
        return null;
    }

    public override void OnValidationEnd()
    {
        if (Trainer is { SanityChecking: false }) _checks++;
    }

    /// <summary>Options for a scripted fit: one validation batch per epoch, no sanity check.</summary>
    public static TrainerOptions Options(int maxEpochs)
    {
        var options = Quiet.Options(maxEpochs);
        options.NumSanityValSteps = 0;
        return options;
    }

    /// <summary>Fits with two training batches and one validation batch per epoch.</summary>
    public Trainer Fit(TrainerOptions options)
    {
        var trainer = new Trainer(options);
        trainer.Fit(this, RandomData.Batches(2), RandomData.Batches(1, seed: 1));
        return trainer;
    }
}
