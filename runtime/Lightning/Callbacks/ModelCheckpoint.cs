using System.Diagnostics;
using System.Globalization;
using Lightning.IO;

namespace Lightning;

/// <summary>
/// Saves checkpoints while fitting (Lightning's <c>ModelCheckpoint</c>), on by default. Without a
/// <see cref="Monitor"/> it keeps the latest checkpoint, named <c>epoch=2-step=300.ckpt</c>; with one it keeps
/// the <see cref="SaveTopK"/> best by that metric. By default it saves after each epoch's validation (at the end
/// of the training epoch); <see cref="EveryNTrainSteps"/>, <see cref="EveryNEpochs"/> and
/// <see cref="TrainTimeInterval"/> change when. Files go to <see cref="Dirpath"/>, by default the logger's
/// <c>LogDir/checkpoints</c> or <c>DefaultRootDir/checkpoints</c>. With <see cref="SaveLast"/>, <c>last.ckpt</c>
/// is rewritten at every save point, so it always holds the latest state. Pass <c>ckptPath: "best"</c> or
/// <c>"last"</c> to the trainer to use them.
/// </summary>
public sealed class ModelCheckpoint : Checkpoint
{
    /// <summary>The extension of checkpoint files.</summary>
    public const string FileExtension = ".ckpt";

    private static readonly HashSet<string> IntegerMetrics = new(StringComparer.Ordinal) { "epoch", "step" };
    private readonly string? _dirpath;
    private readonly TextWriter? _output;
    private readonly List<KeyValuePair<string, double>> _bestKModels = [];
    private long _lastGlobalStepSaved;
    private string _lastCheckpointSaved = "";
    private long? _lastTimeChecked;
    private bool _deferSaveUntilValidation;
    private bool _restoredRanking;

    /// <summary>Creates the callback with Lightning's arguments and defaults.</summary>
    /// <param name="dirpath">The folder for checkpoints; default the logger's <c>LogDir/checkpoints</c>, or <c>DefaultRootDir/checkpoints</c> without a logger.</param>
    /// <param name="filename">A name template such as <c>"{epoch}-{val_loss:.2f}"</c>, without extension; default <c>"{epoch}-{step}"</c>.</param>
    /// <param name="monitor">The metric to rank checkpoints by; null keeps the latest.</param>
    /// <param name="verbose">Print a line for each save decision.</param>
    /// <param name="saveLast">Also keep <c>last.ckpt</c>, a copy of the latest checkpoint.</param>
    /// <param name="saveTopK">How many of the best checkpoints to keep: 0 none, -1 all.</param>
    /// <param name="saveOnException">Save a checkpoint when fitting fails with an exception.</param>
    /// <param name="saveWeightsOnly">Save only the weights (and hyperparameters), not the optimizer and loop state needed to resume.</param>
    /// <param name="mode">Whether a lower or a higher <paramref name="monitor"/> value is better.</param>
    /// <param name="autoInsertMetricName">Write <c>name=value</c> for each template field, as in <c>epoch=2-val_loss=0.12.ckpt</c>.</param>
    /// <param name="everyNTrainSteps">Save every n optimizer steps (mutually exclusive with the two below).</param>
    /// <param name="trainTimeInterval">Save when this much time has passed since the last save.</param>
    /// <param name="everyNEpochs">Save every n epochs; the default when no trigger is given is 1.</param>
    /// <param name="saveOnTrainEpochEnd">Save at the end of the training epoch (true) or after validation (false); default: by the validation settings.</param>
    /// <param name="enableVersionCounter">Add <c>-v1</c>, <c>-v2</c>, ... instead of overwriting a file of the same name.</param>
    /// <param name="output">Where verbose lines go; default the console.</param>
    /// <exception cref="ArgumentException">An invalid combination of arguments; the message names it.</exception>
    public ModelCheckpoint(string? dirpath = null, string? filename = null, string? monitor = null, bool verbose = false,
        bool? saveLast = null, int saveTopK = 1, bool saveOnException = false, bool saveWeightsOnly = false,
        MonitorMode mode = MonitorMode.Min, bool autoInsertMetricName = true, int? everyNTrainSteps = null,
        TimeSpan? trainTimeInterval = null, int? everyNEpochs = null, bool? saveOnTrainEpochEnd = null,
        bool enableVersionCounter = true, TextWriter? output = null)
    {
        if (saveTopK < -1) throw new ArgumentOutOfRangeException(nameof(saveTopK), saveTopK, "saveTopK must be -1 (keep all), 0 (keep none) or more.");
        if (everyNTrainSteps < 0) throw new ArgumentOutOfRangeException(nameof(everyNTrainSteps), everyNTrainSteps, "everyNTrainSteps must be 0 or more.");
        if (everyNEpochs < 0) throw new ArgumentOutOfRangeException(nameof(everyNEpochs), everyNEpochs, "everyNEpochs must be 0 or more.");
        if (new[] { everyNTrainSteps > 0, everyNEpochs > 0, trainTimeInterval is not null }.Count(t => t) > 1)
            throw new ArgumentException(
                $"ModelCheckpoint got everyNTrainSteps: {everyNTrainSteps}, everyNEpochs: {everyNEpochs} and trainTimeInterval: {trainTimeInterval}; give only one of them.");
        if (monitor is null && saveTopK is not (-1 or 0 or 1))
            throw new ArgumentException($"ModelCheckpoint(saveTopK: {saveTopK}) needs a monitor to rank checkpoints by; set monitor, or use saveTopK -1, 0 or 1.", nameof(saveTopK));
        var noTrigger = everyNTrainSteps is null && everyNEpochs is null && trainTimeInterval is null;
        _dirpath = dirpath is null ? null : Path.GetFullPath(dirpath);
        Dirpath = _dirpath;
        _output = output;
        Filename = filename;
        Monitor = monitor;
        Verbose = verbose;
        SaveLast = saveLast;
        SaveTopK = saveTopK;
        SaveOnException = saveOnException;
        SaveWeightsOnly = saveWeightsOnly;
        Mode = mode;
        AutoInsertMetricName = autoInsertMetricName;
        EveryNTrainSteps = everyNTrainSteps ?? 0;
        EveryNEpochs = noTrigger ? 1 : everyNEpochs ?? 0;
        TrainTimeInterval = trainTimeInterval;
        SaveOnTrainEpochEnd = saveOnTrainEpochEnd;
        EnableVersionCounter = enableVersionCounter;
        KthValue = Worst;
    }

    /// <summary>The folder checkpoints go to: the argument, or once fitting has set up, the logger's or <c>DefaultRootDir</c>'s.</summary>
    public string? Dirpath { get; private set; }

    /// <summary>The file-name template, or null for <c>"{epoch}-{step}"</c>.</summary>
    public string? Filename { get; }

    /// <summary>The metric checkpoints are ranked by, or null.</summary>
    public string? Monitor { get; }

    /// <summary>Whether each save decision is printed.</summary>
    public bool Verbose { get; }

    /// <summary>Whether <c>last.ckpt</c> is kept as well.</summary>
    public bool? SaveLast { get; }

    /// <summary>How many of the best checkpoints are kept (-1: all, 0: none).</summary>
    public int SaveTopK { get; }

    /// <summary>Whether a checkpoint is saved when fitting fails.</summary>
    public bool SaveOnException { get; }

    /// <summary>Whether only the weights are saved.</summary>
    public bool SaveWeightsOnly { get; }

    /// <summary>Whether lower or higher <see cref="Monitor"/> values are better.</summary>
    public MonitorMode Mode { get; }

    /// <summary>Whether template fields are written as <c>name=value</c>.</summary>
    public bool AutoInsertMetricName { get; }

    /// <summary>Save every this many optimizer steps (0: not by steps).</summary>
    public int EveryNTrainSteps { get; }

    /// <summary>Save every this many epochs (0: not by epochs).</summary>
    public int EveryNEpochs { get; }

    /// <summary>Save after this much training time, or null.</summary>
    public TimeSpan? TrainTimeInterval { get; }

    /// <summary>Whether saving happens at the training epoch's end (true) or after validation (false); null decides from the trainer's validation settings.</summary>
    public bool? SaveOnTrainEpochEnd { get; }

    /// <summary>Whether colliding names get <c>-v1</c>, <c>-v2</c>, ...</summary>
    public bool EnableVersionCounter { get; }

    /// <summary>The name (template) of the "last" checkpoint, <c>"last"</c> by default.</summary>
    public string CheckpointNameLast { get; set; } = "last";

    /// <summary>The path of the best checkpoint so far (the latest, without a monitor); empty before the first save.</summary>
    public string BestModelPath { get; private set; } = "";

    /// <summary>The monitored value of <see cref="BestModelPath"/>.</summary>
    public double? BestModelScore { get; private set; }

    /// <summary>The kept checkpoints and their monitored values.</summary>
    public IReadOnlyDictionary<string, double> BestKModels => _bestKModels.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>The worst of the kept checkpoints, the one the next better one replaces.</summary>
    public string KthBestModelPath { get; private set; } = "";

    /// <summary>The monitored value of <see cref="KthBestModelPath"/>.</summary>
    public double KthValue { get; private set; }

    /// <summary>The path of <c>last.ckpt</c> (or its versioned name), empty before the first save.</summary>
    public string LastModelPath { get; private set; } = "";

    /// <summary>The monitored value at the latest ranked save.</summary>
    public double? CurrentScore { get; private set; }

    /// <inheritdoc />
    public override string StateKey => string.Create(CultureInfo.InvariantCulture,
        $"ModelCheckpoint{{'monitor': {(Monitor is null ? "None" : $"'{Monitor}'")}, 'mode': '{Mode.ToString().ToLowerInvariant()}', " +
        $"'every_n_train_steps': {EveryNTrainSteps}, 'every_n_epochs': {EveryNEpochs}, " +
        $"'train_time_interval': {(TrainTimeInterval is { } t ? $"'{t}'" : "None")}}}");

    private double Worst => Mode == MonitorMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    /// <inheritdoc />
    public override void Setup(Trainer trainer, LightningModule module, Stage stage) =>
        // Rank 0's folder: another rank's logger may have picked the next free version folder.
        Dirpath = trainer.Strategy.Broadcast(_dirpath ?? Path.GetFullPath(Path.Combine(trainer.LogDir, "checkpoints")));

    /// <summary>
    /// When fitting resumed from this callback's latest save, removes the checkpoints a killed run wrote after it
    /// and would have deleted (a kill between a top-k save and the save of <c>last.ckpt</c> leaves one behind),
    /// so the folder holds what the restored ranking holds.
    /// </summary>
    public override void OnFitStart(Trainer trainer, LightningModule module)
    {
        if (!_restoredRanking) return;
        _restoredRanking = false;
        if (trainer.CkptPath is { } resumed && SaveTopK != -1) RemoveOrphans(trainer, Path.GetFullPath(resumed));
    }

    /// <inheritdoc />
    public override void OnTrainStart(Trainer trainer, LightningModule module) => _lastTimeChecked = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx)
    {
        var skipBatch = EveryNTrainSteps < 1 || trainer.GlobalStep % EveryNTrainSteps != 0;
        var now = Stopwatch.GetTimestamp();
        var skipTime = TrainTimeInterval is not { } interval || _lastTimeChecked is not { } last || Stopwatch.GetElapsedTime(last, now) < interval;
        if (skipBatch && skipTime) return;
        if (!skipTime) _lastTimeChecked = now;
        var candidates = MonitorCandidates(trainer);
        // A metric that only validation logs is not there yet: save once validation has produced it.
        if (Monitor is not null && (!candidates.ContainsKey(Monitor) || (!ShouldSaveOnTrainEpochEnd(trainer) && ValidationFollows(trainer))))
        {
            _deferSaveUntilValidation = true;
            return;
        }
        if (SkipSaving(trainer)) return;
        SaveTopKCheckpoint(trainer, candidates, monitorMustExist: false);
        SaveLastCheckpoint(trainer, candidates);
    }

    /// <inheritdoc />
    public override void OnTrainEpochEnd(Trainer trainer, LightningModule module)
    {
        if (SkipSaving(trainer) || !ShouldSaveOnTrainEpochEnd(trainer)) return;
        SaveAfterEpochOrValidation(trainer);
    }

    /// <inheritdoc />
    public override void OnValidationEnd(Trainer trainer, LightningModule module)
    {
        if (SkipSaving(trainer) || ShouldSaveOnTrainEpochEnd(trainer)) return;
        if (_deferSaveUntilValidation)
        {
            var candidates = MonitorCandidates(trainer);
            _deferSaveUntilValidation = false;
            SaveTopKCheckpoint(trainer, candidates, monitorMustExist: true);
            SaveLastCheckpoint(trainer, candidates);
            return;
        }
        SaveAfterEpochOrValidation(trainer);
    }

    /// <inheritdoc />
    public override void OnException(Trainer trainer, LightningModule module, Exception exception)
    {
        if (!SaveOnException || trainer.FastDev || trainer.SanityChecking || _lastGlobalStepSaved == trainer.GlobalStep) return;
        var candidates = MonitorCandidates(trainer);
        var filepath = FormatCheckpointName(candidates);
        Save(trainer, filepath);
        SaveLastCheckpoint(trainer, candidates);
        Say($"A {exception.GetType().Name} was raised ({exception.Message}); saved a checkpoint to {filepath}");
    }

    /// <inheritdoc />
    public override void OnTrainEnd(Trainer trainer, LightningModule module)
    {
        if (SaveLast == true && _lastCheckpointSaved.Length == 0 && !trainer.FastDev) SaveLastCheckpoint(trainer, MonitorCandidates(trainer));
    }

    /// <inheritdoc />
    public override IDictionary<string, object?> StateDict() => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["monitor"] = Monitor,
        ["best_model_score"] = BestModelScore,
        ["best_model_path"] = BestModelPath,
        ["current_score"] = CurrentScore,
        ["dirpath"] = Dirpath,
        ["best_k_models"] = _bestKModels.ToDictionary(e => e.Key, e => (object?)e.Value, StringComparer.Ordinal),
        ["kth_best_model_path"] = KthBestModelPath,
        ["kth_value"] = KthValue,
        ["last_model_path"] = LastModelPath,
        ["last_global_step_saved"] = _lastGlobalStepSaved,
        ["last_checkpoint_saved"] = _lastCheckpointSaved,
    };

    /// <summary>
    /// Restores <see cref="StateDict"/>. When the checkpoint folder changed, only <see cref="BestModelPath"/> is
    /// restored, as in Lightning: the ranking belongs to the files of the old folder.
    /// </summary>
    public override void LoadStateDict(IReadOnlyDictionary<string, object?> state)
    {
        var dirpath = state.GetValueOrDefault("dirpath") as string ?? Dirpath;
        if (dirpath == Dirpath || dirpath is not null && Dirpath is not null && PathRules.Same(dirpath, Dirpath))
        {
            BestModelScore = state.GetValueOrDefault("best_model_score") is { } best ? ToDouble(best) : null;
            CurrentScore = state.GetValueOrDefault("current_score") is { } current ? ToDouble(current) : null;
            KthBestModelPath = state.GetValueOrDefault("kth_best_model_path") as string ?? KthBestModelPath;
            if (state.GetValueOrDefault("kth_value") is { } kth) KthValue = ToDouble(kth);
            if (state.GetValueOrDefault("best_k_models") is IReadOnlyDictionary<string, object?> models)
            {
                _bestKModels.Clear();
                _bestKModels.AddRange(models.Select(m => new KeyValuePair<string, double>(m.Key, ToDouble(m.Value))));
            }
            LastModelPath = state.GetValueOrDefault("last_model_path") as string ?? LastModelPath;
            if (state.GetValueOrDefault("last_global_step_saved") is { } step) _lastGlobalStepSaved = Convert.ToInt64(step, CultureInfo.InvariantCulture);
            _lastCheckpointSaved = state.GetValueOrDefault("last_checkpoint_saved") as string ?? _lastCheckpointSaved;
            _restoredRanking = true;
        }
        else
        {
            Output.Warn($"The checkpoint folder changed from {dirpath} to {Dirpath}, so ModelCheckpoint restores only BestModelPath, not the ranking of the old folder's checkpoints.");
        }
        BestModelPath = state.GetValueOrDefault("best_model_path") as string ?? BestModelPath;
    }

    /// <summary>
    /// The path a checkpoint saved with <paramref name="metrics"/> gets: the template filled in, an optional
    /// <c>-v{version}</c>, the extension, in <see cref="Dirpath"/>.
    /// </summary>
    public string FormatCheckpointName(IReadOnlyDictionary<string, double> metrics, string? filename = null, int? version = null)
    {
        var name = CheckpointFilename.Format(filename ?? Filename ?? "{epoch}-{step}", metrics, IntegerMetrics, AutoInsertMetricName);
        if (version is { } v) name += $"-v{v.ToString(CultureInfo.InvariantCulture)}";
        name += FileExtension;
        return Dirpath is null ? name : Path.Combine(Dirpath, name);
    }

    /// <summary>The "last" checkpoints in <see cref="Dirpath"/> (<c>last.ckpt</c>, <c>last-v1.ckpt</c>, ...), for <c>ckptPath: "last"</c>.</summary>
    internal IEnumerable<string> FindLastCheckpoints() =>
        Dirpath is not null && Directory.Exists(Dirpath)
            ? Directory.EnumerateFiles(Dirpath, "*" + FileExtension).Where(p => Path.GetFileName(p).StartsWith(CheckpointNameLast, StringComparison.Ordinal))
            : [];

    private void SaveAfterEpochOrValidation(Trainer trainer)
    {
        var candidates = MonitorCandidates(trainer);
        if (EveryNEpochs >= 1 && (trainer.CurrentEpoch + 1) % EveryNEpochs == 0) SaveTopKCheckpoint(trainer, candidates, monitorMustExist: true);
        // Lightning 2.0-2.5 behaviour: last.ckpt follows every save point, ranked or not, so resuming from "last"
        // continues from the latest state (the newest Lightning saves it only alongside a ranked checkpoint).
        SaveLastCheckpoint(trainer, candidates);
    }

    private bool SkipSaving(Trainer trainer) =>
        trainer.FastDev || trainer.State.Fn != Stage.Fit || trainer.SanityChecking || _lastGlobalStepSaved == trainer.GlobalStep;

    private bool ShouldSaveOnTrainEpochEnd(Trainer trainer)
    {
        if (SaveOnTrainEpochEnd is { } explicitly) return explicitly;
        // Validation every n epochs: the loaders may not exist every epoch, so save after validation instead.
        if (trainer.Options.CheckValEveryNEpoch != 1) return false;
        if (trainer.NumValBatches.Sum() == 0) return true;
        // Several validations per epoch: save after each.
        return trainer.Options.ValCheckInterval.Fraction is 1.0;
    }

    private static bool ValidationFollows(Trainer trainer) =>
        trainer.BatchesCompletedInEpoch == trainer.NumTrainingBatches && trainer.NumValBatches.Sum() > 0 &&
        (trainer.Options.CheckValEveryNEpoch is not { } n || (trainer.CurrentEpoch + 1) % n == 0);

    private static Dictionary<string, double> MonitorCandidates(Trainer trainer)
    {
        var candidates = new Dictionary<string, double>(trainer.CallbackMetrics, StringComparer.Ordinal);
        candidates["epoch"] = candidates.TryGetValue("epoch", out var epoch) ? Math.Floor(epoch) : trainer.CurrentEpoch;
        candidates["step"] = candidates.TryGetValue("step", out var step) ? Math.Floor(step) : trainer.GlobalStep;
        return candidates;
    }

    private void SaveTopKCheckpoint(Trainer trainer, Dictionary<string, double> candidates, bool monitorMustExist)
    {
        if (SaveTopK == 0) return;
        if (Monitor is null)
        {
            SaveNoneMonitorCheckpoint(trainer, candidates);
            return;
        }
        if (!candidates.TryGetValue(Monitor, out var current))
        {
            if (!monitorMustExist) return;
            throw new MissingMetricException(Monitor, candidates.Keys, logged =>
                $"ModelCheckpoint(monitor: \"{Monitor}\") found no metric '{Monitor}'. Logged metrics: {logged}. " +
                $"Log it in the module, for example Log(\"{Monitor}\", loss) in ValidationStep, or change the monitor.");
        }
        // Every rank must decide alike, since saving waits for all of them.
        if (trainer.Strategy.ReduceBooleanDecision(IsInTopK(current))) UpdateBestAndSave(trainer, current, candidates);
        else Say($"Epoch {candidates["epoch"]}, global step {candidates["step"]}: '{Monitor}' was not in top {SaveTopK}");
    }

    private bool IsInTopK(double current)
    {
        if (SaveTopK == -1 || _bestKModels.Count < SaveTopK) return true;
        var kth = Score(KthBestModelPath);
        return Mode == MonitorMode.Min ? current < kth : current > kth;
    }

    private void UpdateBestAndSave(Trainer trainer, double current, Dictionary<string, double> candidates)
    {
        var k = SaveTopK == -1 ? _bestKModels.Count + 1 : SaveTopK;
        string? deleteFilepath = null;
        if (_bestKModels.Count == k && k > 0)
        {
            deleteFilepath = KthBestModelPath;
            _bestKModels.RemoveAll(e => e.Key == deleteFilepath);
        }
        // A NaN never ranks: it counts as the worst value.
        if (double.IsNaN(current)) current = Worst;
        var filepath = VersionedName(trainer, candidates, null, deleteFilepath);
        CurrentScore = current;
        var index = _bestKModels.FindIndex(e => PathRules.Same(e.Key, filepath));
        if (index >= 0) _bestKModels[index] = new(filepath, current);
        else _bestKModels.Add(new(filepath, current));
        if (_bestKModels.Count == k)
        {
            KthBestModelPath = Extreme(worst: true);
            KthValue = Score(KthBestModelPath);
        }
        BestModelPath = Extreme(worst: false);
        BestModelScore = Score(BestModelPath);
        Say(string.Create(CultureInfo.InvariantCulture,
            $"Epoch {candidates["epoch"]}, global step {candidates["step"]}: '{Monitor}' reached {current:0.00000} (best {BestModelScore:0.00000}), saving model to '{filepath}' as top {k}"));
        Save(trainer, filepath);
        if (deleteFilepath is not null && ShouldRemove(trainer, deleteFilepath, filepath)) Remove(deleteFilepath);
    }

    private void SaveNoneMonitorCheckpoint(Trainer trainer, Dictionary<string, double> candidates)
    {
        var filepath = VersionedName(trainer, candidates, null, BestModelPath);
        var previous = BestModelPath;
        BestModelPath = filepath;
        Save(trainer, filepath);
        if (SaveTopK == 1 && previous.Length > 0 && ShouldRemove(trainer, previous, filepath)) Remove(previous);
    }

    private void SaveLastCheckpoint(Trainer trainer, Dictionary<string, double> candidates)
    {
        if (SaveLast != true) return;
        var filepath = VersionedName(trainer, candidates, CheckpointNameLast, LastModelPath);
        var previous = LastModelPath;
        LastModelPath = filepath;
        Save(trainer, filepath);
        if (previous.Length > 0 && ShouldRemove(trainer, previous, filepath)) Remove(previous);
    }

    // The name, with -v1, -v2, ... while a file of that name exists (on rank 0, which writes them), unless it is the file about to be replaced.
    private string VersionedName(Trainer trainer, Dictionary<string, double> candidates, string? filename, string? replaced)
    {
        var filepath = FormatCheckpointName(candidates, filename);
        for (var version = 1; EnableVersionCounter && trainer.Strategy.Broadcast(File.Exists(filepath)) && (string.IsNullOrEmpty(replaced) || !PathRules.Same(filepath, replaced)); version++)
            filepath = FormatCheckpointName(candidates, filename, version);
        return filepath;
    }

    // What this callback saved is part of its state, so it is set before the save and undone if the save fails. A file
    // another program holds open fails this save only: training goes on and the next save tries again.
    private void Save(Trainer trainer, string filepath)
    {
        var (previousStep, previousPath) = (_lastGlobalStepSaved, _lastCheckpointSaved);
        (_lastGlobalStepSaved, _lastCheckpointSaved) = (trainer.GlobalStep, filepath);
        try
        {
            trainer.SaveCheckpoint(filepath, SaveWeightsOnly);
        }
        catch (Exception e)
        {
            (_lastGlobalStepSaved, _lastCheckpointSaved) = (previousStep, previousPath);
            if (e is not FileInUseException) throw;
            Output.Warn($"ModelCheckpoint did not save this checkpoint; training goes on. {e.Message}");
        }
    }

    private static void Remove(string path)
    {
        try
        {
            FileOperations.Delete(path);
        }
        catch (FileInUseException e)
        {
            Output.Warn($"ModelCheckpoint left a checkpoint it no longer keeps in place. {e.Message}");
        }
    }

    // Only files of this callback's folder are removed, and never the checkpoint the fit resumed from.
    private bool ShouldRemove(Trainer trainer, string previous, string current)
    {
        if (!trainer.IsGlobalZero || PathRules.Same(previous, current)) return false;
        if (trainer.CkptPath is { } resumed && PathRules.Same(resumed, previous)) return false;
        return Dirpath is not null && PathRules.IsInside(previous, Dirpath);
    }

    // Only files named by this callback's templates are candidates, and only when the fit resumed from its latest save:
    // those written after that save, and in the logger's version folder (the run's own) also older ones the ranking no longer holds.
    // The files any checkpoint callback of this folder keeps stay.
    private void RemoveOrphans(Trainer trainer, string resumed)
    {
        if (!trainer.IsGlobalZero || Dirpath is null || !Directory.Exists(Dirpath) || !File.Exists(resumed)) return;
        if (!new[] { LastModelPath, _lastCheckpointSaved }.Any(saved => saved.Length > 0 && PathRules.Same(saved, resumed))) return;
        var kept = trainer.Callbacks.OfType<ModelCheckpoint>().Where(c => c.Dirpath is { } other && PathRules.Same(other, Dirpath))
            .SelectMany(c => c._bestKModels.Select(e => e.Key).Append(c.BestModelPath).Append(c.LastModelPath))
            .Append(resumed).Where(path => path.Length > 0).Select(Path.GetFullPath).ToHashSet(PathRules.Comparer);
        var names = new[] { Filename ?? "{epoch}-{step}", CheckpointNameLast }
            .Select(template => CheckpointFilename.NamePattern(template, AutoInsertMetricName, FileExtension)).ToList();
        var resumedWritten = File.GetLastWriteTimeUtc(resumed);
        var ownFolder = _dirpath is null && trainer.Logger is FileLogger;
        foreach (var file in Directory.EnumerateFiles(Dirpath, "*" + FileExtension))
        {
            if (kept.Contains(file) || !names.Any(n => n.IsMatch(Path.GetFileName(file)))) continue;
            if (!ownFolder && File.GetLastWriteTimeUtc(file) <= resumedWritten) continue;
            Say($"Removing '{file}', a checkpoint the interrupted run saved but its ranking does not hold");
            Remove(file);
        }
    }

    private double Score(string path) => _bestKModels.First(e => e.Key == path).Value;

    // The first best or worst entry in insertion order, as Python's max/min over a dict picks it.
    private string Extreme(bool worst)
    {
        var pick = _bestKModels[0];
        foreach (var entry in _bestKModels.Skip(1))
        {
            var better = Mode == MonitorMode.Min ? entry.Value < pick.Value : entry.Value > pick.Value;
            var worse = Mode == MonitorMode.Min ? entry.Value > pick.Value : entry.Value < pick.Value;
            if (worst ? worse : better) pick = entry;
        }
        return pick.Key;
    }

    private void Say(string message)
    {
        if (Verbose) (_output ?? Output.Out).WriteLine(message);
    }

    private static double ToDouble(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
