using Lightning.Hooks;

namespace Lightning.Loops;

/// <summary>
/// Where a run's loaders come from, in Lightning's order of precedence: loaders passed to the trainer, then
/// the data module's, then the module's own loader hooks. Each call asks the source again.
/// </summary>
internal sealed class DataSource<TBatch>
{
    private readonly Trainer _trainer;
    private readonly LightningModule<TBatch> _module;
    private readonly LightningDataModule<TBatch>? _dataModule;
    private readonly IReadOnlyList<IEnumerable<TBatch>>? _train;
    private readonly IReadOnlyList<IEnumerable<TBatch>>? _eval;

    public DataSource(Trainer trainer, LightningModule<TBatch> module, LightningDataModule<TBatch>? dataModule,
        IEnumerable<TBatch>? train, IReadOnlyList<IEnumerable<TBatch>>? eval)
    {
        _trainer = trainer;
        _module = module;
        _dataModule = dataModule;
        _train = train is null ? null : [train];
        _eval = eval;
    }

    public IEnumerable<TBatch>? Train() =>
        Shard(_train?[0] ?? Ask(HookNames.TrainDataLoader, _dataModule is null ? null : _dataModule.TrainDataLoader, _module.TrainDataLoader));

    /// <summary>The validation loaders; in fit, the trainer's explicit loaders are the validation ones.</summary>
    public IReadOnlyList<IEnumerable<TBatch>> Val() =>
        Shard(_eval ?? Ask(HookNames.ValDataLoaders, _dataModule is null ? null : _dataModule.ValDataLoaders, _module.ValDataLoaders) ?? []);

    public IReadOnlyList<IEnumerable<TBatch>> Test() =>
        Shard(_eval ?? Ask(HookNames.TestDataLoaders, _dataModule is null ? null : _dataModule.TestDataLoaders, _module.TestDataLoaders) ?? []);

    public IReadOnlyList<IEnumerable<TBatch>> Predict() =>
        Shard(_eval ?? AsList(Ask(HookNames.PredictDataLoader, _dataModule is null ? null : _dataModule.PredictDataLoader, _module.PredictDataLoader)));

    /// <summary>Gives this rank its part of each loader's data when several processes train (see <see cref="IShardable"/>).</summary>
    private IReadOnlyList<IEnumerable<TBatch>> Shard(IReadOnlyList<IEnumerable<TBatch>> loaders)
    {
        foreach (var loader in loaders) Shard(loader);
        return loaders;
    }

    private IEnumerable<TBatch>? Shard(IEnumerable<TBatch>? loader)
    {
        if (loader is not null && IsSharded(loader)) ((IShardable)loader).SetShard(_trainer.GlobalRank, _trainer.WorldSize);
        return loader;
    }

    /// <summary>Whether this rank visits only its part of <paramref name="loader"/>'s data.</summary>
    public bool IsSharded(IEnumerable<TBatch> loader) => loader is IShardable && _trainer.WorldSize > 1 && _trainer.Options.UseDistributedSampler;

    private T? Ask<T>(string hook, Func<T?>? fromDataModule, Func<T?> fromModule) where T : class =>
        _trainer.Hooks.Run(hook, fromDataModule ?? fromModule);

    private static IReadOnlyList<IEnumerable<TBatch>> AsList(IEnumerable<TBatch>? loader) => loader is null ? [] : [loader];
}
