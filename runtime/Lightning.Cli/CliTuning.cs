using System.Globalization;

namespace Lightning.Cli;

/// <summary>
/// What <c>--tune</c> asks for before fitting: <c>lr</c> (<see cref="Tuner.LrFind{TBatch}"/>), <c>batch-size</c>
/// (<see cref="Tuner.ScaleBatchSize{TBatch}"/>), or both, comma-separated. The batch size is found first, as
/// Lightning's documentation advises, since the best rate depends on it. With <c>--optimizer</c> (<see cref="Optimizer"/>),
/// the rate found becomes that optimizer's <c>lr</c>: the module's <c>ConfigureOptimizers</c>, which would read a
/// property, is not used then. The values found replace the configured ones in <see cref="Configuration"/>, and the
/// searches that gave them leave <c>tune</c>, so that the run's <c>config.yaml</c> repeats the fit without searching again.
/// </summary>
internal sealed record CliTuning(bool Lr, bool BatchSize, CliConfiguration Configuration)
{
    /// <summary>The file the learning-rate curve is written to, in the run's log folder.</summary>
    public const string LrFindFile = "lr_find.csv";

    /// <summary>Parses the value of <c>--tune</c> (null or empty: no tuning) for the run <paramref name="configuration"/> configures.</summary>
    /// <exception cref="CliException">A word that is not a search.</exception>
    public static CliTuning Parse(CliConfiguration configuration)
    {
        var text = (string?)configuration[TuneKey];
        var words = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(CliNames.Normalize).ToList();
        var unknown = words.Where(w => w is not "lr" and not "batchsize").ToList();
        if (unknown.Count > 0)
            throw new CliException($"--tune: '{text}' names no search. Use lr, batch-size, or lr,batch-size.");
        return new CliTuning(words.Contains("lr"), words.Contains("batchsize"), configuration);
    }

    private static string TuneKey => CliNames.Normalize("tune");

    /// <summary>The <c>--optimizer</c> choice, when one was given.</summary>
    public CliClassChoice? Optimizer => Configuration.Optimizer.ClassPath is null ? null : Configuration.Optimizer;

    /// <summary>Whether any search was asked for.</summary>
    public bool Any => Lr || BatchSize;

    /// <summary>
    /// Runs the searches asked for on the module and data module and puts the values they found into the configuration;
    /// returns the learning-rate finder's results, if it ran.
    /// </summary>
    public LrFinder? Run<TBatch>(Trainer trainer, LightningModule<TBatch> model, LightningDataModule<TBatch>? data, TextWriter output)
    {
        var tuner = new Tuner(trainer);
        var found = new List<string>();
        var kept = new List<string>();
        LrFinder? finder = null;
        try
        {
            if (BatchSize)
            {
                var before = TunableProperties.Read(model, data);
                if (tuner.ScaleBatchSize(model, dataModule: data) is { } size)
                {
                    output.WriteLine($"Batch size finder: training with batch size {size}");
                    Record("batch-size", before, found, kept);
                }
            }
            if (Lr)
            {
                var before = TunableProperties.Read(model, data);
                finder = FindLr(tuner, model, data, found);
                Record("lr", before, found, kept);
            }
        }
        catch (InvalidOperationException e)
        {
            // The tuner's refusals say what the module lacks; on the command line they are settings errors like any other.
            throw new CliException($"--tune: {e.Message}");
        }
        if (Any) RecordTune(found, kept);
        return finder;
    }

    // The search fits with the optimizer the fit will use (the --optimizer replaces ConfigureOptimizers there too).
    private LrFinder? FindLr<TBatch>(Tuner tuner, LightningModule<TBatch> model, LightningDataModule<TBatch>? data, List<string> found)
    {
        if (Optimizer is null)
            return model.Overrides(nameof(LightningModule<TBatch>.ConfigureOptimizers))
                ? tuner.LrFind(model, dataModule: data)
                : throw new CliException($"--tune lr: {model.GetType().Name} has no ConfigureOptimizers, so there is no optimizer for the learning-rate " +
                    "finder to tune; give one on the command line (for example --optimizer AdamW) and the finder sets its lr.");
        // A rate set on the module's property would be lost, as it is with Lightning's CLI: the optimizer is built from its arguments.
        var finder = tuner.LrFind(model, dataModule: data, updateAttr: false);
        if (finder?.Suggestion() is { } lr)
        {
            var configured = Optimizer.Extra("lr") ?? "its default";
            Optimizer.SetArgument("lr", lr.ToString("R", CultureInfo.InvariantCulture));
            found.Add($"{Optimizer.Section}.{ConfigFile.InitArgs}.lr {configured} -> {Optimizer.Extra("lr")}");
        }
        return finder;
    }

    // What a search set on the module or data module goes into the setting the owner is built from (the constructor
    // parameter of the property's name, as SaveHyperparameters pairs them); a property no setting builds can only be
    // found again by searching, so that search stays in tune.
    private void Record(string search, TunableProperties before, List<string> found, List<string> kept)
    {
        foreach (var (section, property, configured, tuned) in before.Changed())
        {
            var setting = Configuration.Settings.FirstOrDefault(s =>
                s.Section == section && CliNames.Normalize(s.PropertyName) == CliNames.Normalize(property.Name));
            if (setting is null)
            {
                if (!kept.Contains(search)) kept.Add(search);
                found.Add($"{property.DeclaringType?.Name}.{property.Name} {CliValue.Format(configured)} -> {CliValue.Format(tuned)} (no {section} setting " +
                    $"holds it, so {search} stays in tune)");
                continue;
            }
            var value = tuned is null ? null : Convert.ChangeType(tuned, Nullable.GetUnderlyingType(setting.Type) ?? setting.Type, CultureInfo.InvariantCulture);
            var from = CliValue.Format(Configuration.Values[setting]) ?? "null";
            Configuration.Record(setting, value, $"tuned by --tune {search}; configured: {from}");
            found.Add($"{section}.{setting.Name} {from} -> {CliValue.Format(value)}");
        }
    }

    private void RecordTune(List<string> found, List<string> kept)
    {
        var setting = Configuration.Settings.Single(s => s.Key == TuneKey);
        var asked = string.Join(",", new[] { BatchSize ? "batch-size" : null, Lr ? "lr" : null }.OfType<string>());
        var what = found.Count == 0 ? "changed no setting" : "set " + string.Join("; ", found);
        var rerun = kept.Count == 0 ? "a rerun with this file trains as this run did, without searching" : $"a rerun searches again for {string.Join(",", kept)} only";
        Configuration.Record(setting, kept.Count == 0 ? null : string.Join(",", kept), $"--tune {asked} ran before this fit and {what}; {rerun}.");
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
