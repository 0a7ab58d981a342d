namespace Lightning.Cli;

/// <summary>
/// What <c>--tune</c> asks for before fitting: <c>lr</c> (<see cref="Tuner.LrFind{TBatch}"/>), <c>batch-size</c>
/// (<see cref="Tuner.ScaleBatchSize{TBatch}"/>), or both, comma-separated. The batch size is found first, as
/// Lightning's documentation advises, since the best rate depends on it.
/// </summary>
internal sealed record CliTuning(bool Lr, bool BatchSize)
{
    /// <summary>The file the learning-rate curve is written to, in the run's log folder.</summary>
    public const string LrFindFile = "lr_find.csv";

    /// <summary>Parses the value of <c>--tune</c> (null or empty: no tuning).</summary>
    /// <exception cref="CliException">A word that is not a search.</exception>
    public static CliTuning Parse(string? text)
    {
        var words = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(CliNames.Normalize).ToList();
        var unknown = words.Where(w => w is not "lr" and not "batchsize").ToList();
        if (unknown.Count > 0)
            throw new CliException($"--tune: '{text}' names no search. Use lr, batch-size, or lr,batch-size.");
        return new CliTuning(words.Contains("lr"), words.Contains("batchsize"));
    }

    /// <summary>Whether any search was asked for.</summary>
    public bool Any => Lr || BatchSize;

    /// <summary>Runs the searches asked for on the module and data module; returns the learning-rate finder's results, if it ran.</summary>
    public LrFinder? Run<TBatch>(Trainer trainer, LightningModule<TBatch> model, LightningDataModule<TBatch>? data, TextWriter output)
    {
        var tuner = new Tuner(trainer);
        try
        {
            if (BatchSize && tuner.ScaleBatchSize(model, dataModule: data) is { } size) output.WriteLine($"Batch size finder: training with batch size {size}");
            return Lr ? tuner.LrFind(model, dataModule: data) : null;
        }
        catch (InvalidOperationException e)
        {
            // The tuner's refusals say what the module lacks; on the command line they are settings errors like any other.
            throw new CliException($"--tune: {e.Message}");
        }
    }

    /// <summary>Writes the learning-rate curve into the run's log folder and says where, with the rate chosen.</summary>
    public static void Report(LrFinder finder, Trainer trainer, TextWriter output)
    {
        var path = Path.Combine(trainer.LogDir, LrFindFile);
        finder.WriteCsv(path);
        var chosen = finder.OptimalIndex is { } index ? $"trained with learning rate {finder.Lrs[index]}" : "no rate suggested, trained with the configured one";
        output.WriteLine($"Learning-rate finder: {chosen}; the curve is in {path} (draw it: dotnet lightning plot {path})");
    }
}
