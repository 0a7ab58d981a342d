namespace Lightning.Tests.Cli;

/// <summary>
/// Records the optimizer the fit trains with: its type and first group's rate at the start and end, the run's callbacks, and
/// the batches of an epoch.
/// </summary>
internal sealed class OptimizerRecorder : Callback
{
    public Type? Optimizer { get; private set; }

    public double Lr { get; private set; }

    public double LrAtEnd { get; private set; }

    public IReadOnlyList<Callback> Callbacks { get; private set; } = [];

    public int? TrainingBatches { get; private set; }

    public override void OnTrainStart(Trainer trainer, LightningModule module)
    {
        var optimizer = trainer.Optimizers.Single();
        Optimizer = optimizer.GetType();
        Lr = optimizer.ParamGroups.First().LearningRate;
        Callbacks = trainer.Callbacks;
    }

    public override void OnTrainEnd(Trainer trainer, LightningModule module)
    {
        LrAtEnd = trainer.Optimizers.Single().ParamGroups.First().LearningRate;
        TrainingBatches = trainer.NumTrainingBatches;
    }
}
