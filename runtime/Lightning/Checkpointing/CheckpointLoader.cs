namespace Lightning.Checkpointing;

/// <summary>Rebuilds modules from checkpoint files (Lightning's <c>load_from_checkpoint</c>).</summary>
internal static class CheckpointLoader
{
    /// <summary>
    /// Constructs <typeparamref name="T"/> from the checkpoint's hyperparameters, calls its <c>OnLoadCheckpoint</c>
    /// and loads its weights; works with PyTorch Lightning checkpoints too when the names match.
    /// </summary>
    public static T LoadModule<T>(string path, bool? strict) where T : LightningModule
    {
        // No dispose scope around the reading: the module is built meanwhile, and its tensors must outlive any scope.
        var checkpoint = CheckpointFile.Read(path);
        try
        {
            var hparams = checkpoint.GetValueOrDefault(CheckpointKeys.HyperParameters) as Dictionary<string, object?> ?? [];
            var module = (T)HyperparameterValues.Construct(typeof(T), hparams, path);
            try
            {
                if (strict is { } s) module.StrictLoading = s;
                var matched = CheckpointConnector.CheckedWeights(module, checkpoint, path);
                module.OnLoadCheckpoint(checkpoint);
                StateDictLoader.Apply(module, matched);
                return module;
            }
            catch
            {
                module.Dispose();
                throw;
            }
        }
        finally
        {
            PickleValues.DisposeTensors(checkpoint);
        }
    }
}
