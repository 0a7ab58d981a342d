using System.Globalization;

namespace Lightning.Cli;

/// <summary>
/// What <c>--tune</c> asks for before fitting: <c>lr</c> (<see cref="Tuner.LrFind{TBatch}"/>), <c>batch-size</c>
/// (<see cref="Tuner.ScaleBatchSize{TBatch}"/>), or both, comma-separated. The batch size is found first, as
/// Lightning's documentation advises, since the best rate depends on it. With <c>--optimizer</c> (<see cref="Optimizer"/>),
/// the rate found becomes that optimizer's <c>lr</c>: the module's <c>ConfigureOptimizers</c>, which would read a
/// property, is not used then.
/// </summary>
internal sealed record CliTuning(bool Lr, bool BatchSize, CliClassChoice? Optimizer)
{
    /// <summary>The file the learning-rate curve is written to, in the run's log folder.</summary>
    public const string LrFindFile = "lr_find.csv";

    /// <summary>Parses the value of <c>--tune</c> (null or empty: no tuning); <paramref name="optimizer"/> is the <c>--optimizer</c> choice.</summary>
    /// <exception cref="CliException">A word that is not a search.</exception>
    public static CliTuning Parse(string? text, CliClassChoice optimizer)
    {
        var words = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(CliNames.Normalize).ToList();
        var unknown = words.Where(w => w is not "lr" and not "batchsize").ToList();
        if (unknown.Count > 0)
            throw new CliException($"--tune: '{text}' names no search. Use lr, batch-size, or lr,batch-size.");
        return new CliTuning(words.Contains("lr"), words.Contains("batchsize"), optimizer.ClassPath is null ? null : optimizer);
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
            return Lr ? FindLr(tuner, model, data) : null;
        }
        catch (InvalidOperationException e)
        {
            // The tuner's refusals say what the module lacks; on the command line they are settings errors like any other.
            throw new CliException($"--tune: {e.Message}");
        }
    }

    // The search fits with the optimizer the fit will use (the --optimizer replaces ConfigureOptimizers there too).
    private LrFinder? FindLr<TBatch>(Tuner tuner, LightningModule<TBatch> model, LightningDataModule<TBatch>? data)
    {
        if (Optimizer is null)
            return model.Overrides(nameof(LightningModule<TBatch>.ConfigureOptimizers))
                ? tuner.LrFind(model, dataModule: data)
                : throw new CliException($"--tune lr: {model.GetType().Name} has no ConfigureOptimizers, so there is no optimizer for the learning-rate " +
                    "finder to tune; give one on the command line (for example --optimizer AdamW) and the finder sets its lr.");
        // A rate set on the module's property would be lost, as it is with Lightning's CLI: the optimizer is built from its arguments.
        var finder = tuner.LrFind(model, dataModule: data, updateAttr: false);
        if (finder?.Suggestion() is { } lr) Optimizer.SetArgument("lr", lr.ToString("R", CultureInfo.InvariantCulture));
        return finder;
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
