using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>
/// The child process of <see cref="InterruptionTests"/>: fits without an end, with an <see cref="OnExceptionCheckpoint"/>
/// and a CSV logger, and says "training" on standard output once the first step is done.
/// </summary>
internal static class InterruptedFitProcess
{
    public static int Run(string root)
    {
        var options = Quiet.Options(maxEpochs: -1);
        options.DefaultRootDir = root;
        options.Logger = new CsvLogger(root);
        options.LogEveryNSteps = 1;
        options.Callbacks.Add(new OnExceptionCheckpoint(root));
        options.Callbacks.Add(new LambdaCallback(onTrainBatchEnd: (trainer, _, _, _, _) =>
        {
            if (trainer.GlobalStep == 1) Console.WriteLine("training");
        }));
        using var model = new LoggingModel();
        new Trainer(options).Fit(model, RandomData.Batches(4));
        return 0;
    }

    private sealed class LoggingModel : TinyModel
    {
        public override StepOutput? TrainingStep((TorchSharp.torch.Tensor X, TorchSharp.torch.Tensor Y) batch, int batchIdx)
        {
            var loss = base.TrainingStep(batch, batchIdx)!.Loss!;
            Log("train_loss", loss);
            return loss;
        }
    }
}
