using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Checkpointing;

/// <summary>
/// Optimizer state in checkpoints. TorchSharp's optimizers keep their state in C# objects whose complete,
/// exact form is TorchSharp's own <c>save_state_dict</c> stream; a checkpoint stores that stream as a byte
/// tensor beside the learning rates (which Python readers can see). PyTorch cannot use the stream itself.
/// </summary>
internal static class OptimizerStates
{
    /// <summary>The optimizer's state as a checkpoint entry.</summary>
    /// <exception cref="NotSupportedException">An optimizer that does not derive from TorchSharp's <c>OptimizerHelper</c>.</exception>
    public static Dictionary<string, object?> StateDict(Optimizer optimizer) => new(StringComparer.Ordinal)
    {
        ["type"] = optimizer.GetType().Name,
        ["param_groups"] = optimizer.ParamGroups.Select(g => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lr"] = g.LearningRate,
            ["initial_lr"] = g.InitialLearningRate,
        }).ToList(),
        ["torchsharp_state"] = torch.tensor(Bytes(optimizer)),
    };

    /// <summary>Checks that a saved entry belongs to an optimizer like <paramref name="optimizer"/>.</summary>
    public static void Check(Optimizer optimizer, IReadOnlyDictionary<string, object?> saved, int index, string path)
    {
        var type = saved.GetValueOrDefault("type") as string;
        if (type != optimizer.GetType().Name)
            throw new CheckpointException(path,
                $"Optimizer {index} in '{path}' is a {type ?? "(unknown)"}, but ConfigureOptimizers returned a {optimizer.GetType().Name}. " +
                "Resume with the optimizers the checkpoint was trained with, or load only the weights (module.LoadStateDict) and start a new Fit.");
        if (saved.GetValueOrDefault("torchsharp_state") is not Tensor)
            throw new CheckpointException(path, $"Optimizer {index} in '{path}' has no state; the file is damaged. Use an earlier checkpoint.");
    }

    /// <summary>Restores an entry made by <see cref="StateDict"/> (after <see cref="Check"/>).</summary>
    public static void Load(Optimizer optimizer, IReadOnlyDictionary<string, object?> saved) =>
        Load(optimizer, ((Tensor)saved["torchsharp_state"]!).data<byte>().ToArray());

    /// <summary>TorchSharp's serialized state of the optimizer.</summary>
    public static byte[] Bytes(Optimizer optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) Helper(optimizer).save_state_dict(writer);
        return buffer.ToArray();
    }

    /// <summary>Restores state made by <see cref="Bytes"/>.</summary>
    public static void Load(Optimizer optimizer, byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        Helper(optimizer).load_state_dict(reader);
    }

    private static OptimizerHelper Helper(Optimizer optimizer) => optimizer as OptimizerHelper ?? throw new NotSupportedException(
        $"The optimizer {optimizer.GetType().Name} does not derive from TorchSharp's OptimizerHelper, so its state cannot be saved in a checkpoint. " +
        "Use one of TorchSharp's optimizers, or save weights only (ModelCheckpoint(saveWeightsOnly: true)).");
}
