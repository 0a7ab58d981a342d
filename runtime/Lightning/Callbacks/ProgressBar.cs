using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Lightning;

/// <summary>
/// Shows progress per stage: <c>Epoch 3: 40%|████      | 12/30 [00:02&lt;00:03, 5.91it/s, val_loss=0.31, v_num=2]</c>.
/// On a terminal the line is redrawn in place; when output goes to a file or a CI log it becomes plain
/// lines every fifth of the stage, so logs stay readable.
/// </summary>
public sealed class ProgressBar : Callback
{
    private const int BarWidth = 10;
    private readonly TextWriter? _output;
    private bool? _interactive;
    private int _drawnLength;
    private string _epochStage = "Epoch 0";
    private readonly Bar _train = new();
    private readonly Bar _eval = new();

    /// <summary>Creates the progress bar.</summary>
    /// <param name="refreshRate">Redraw at most this often on a terminal.</param>
    /// <param name="output">Where to write; default the console.</param>
    /// <param name="interactive">Whether to redraw in place; default: when the console is not redirected.</param>
    public ProgressBar(TimeSpan? refreshRate = null, TextWriter? output = null, bool? interactive = null)
    {
        RefreshRate = refreshRate ?? TimeSpan.FromMilliseconds(100);
        _output = output;
        _interactive = interactive;
    }

    /// <summary>The shortest time between two redraws on a terminal.</summary>
    public TimeSpan RefreshRate { get; }

    private TextWriter Out => _output ?? Output.Out;

    // Decided once: it is asked after every batch.
    private bool Interactive => _interactive ??= _output is null && Output.IsTerminal;

    /// <inheritdoc />
    public override void OnTrainStart(Trainer trainer, LightningModule module) => StartTrainBar(trainer);

    /// <inheritdoc />
    public override void OnTrainEpochStart(Trainer trainer, LightningModule module) => StartTrainBar(trainer);

    /// <inheritdoc />
    public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) =>
        Report(trainer, _train, _epochStage, batchIdx + 1, trainer.NumTrainingBatches, final: false);

    /// <inheritdoc />
    public override void OnTrainEpochEnd(Trainer trainer, LightningModule module) =>
        Report(trainer, _train, _epochStage, trainer.BatchesCompletedInEpoch, trainer.NumTrainingBatches, final: true);

    /// <inheritdoc />
    public override void OnValidationStart(Trainer trainer, LightningModule module) => _eval.Start();

    /// <inheritdoc />
    public override void OnValidationBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx)
    {
        // Inside fit, validation shows only on a terminal; plain logs get it through the epoch's final line.
        if (trainer.State.Fn == Stage.Validate || (Interactive && !trainer.SanityChecking))
            Report(trainer, _eval, "Validation", batchIdx + 1, Total(trainer.NumValBatches, dataloaderIdx), final: false);
    }

    /// <inheritdoc />
    public override void OnValidationEnd(Trainer trainer, LightningModule module)
    {
        if (trainer.State.Fn == Stage.Validate) Report(trainer, _eval, "Validation", trainer.NumValBatches.Sum(), trainer.NumValBatches.Sum(), final: true);
        else if (Interactive && !trainer.SanityChecking && Output.Shows(trainer)) Redraw("", final: false);
    }

    /// <inheritdoc />
    public override void OnTestStart(Trainer trainer, LightningModule module) => _eval.Start();

    /// <inheritdoc />
    public override void OnTestBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) =>
        Report(trainer, _eval, "Testing", batchIdx + 1, Total(trainer.NumTestBatches, dataloaderIdx), final: false);

    /// <inheritdoc />
    public override void OnTestEnd(Trainer trainer, LightningModule module) =>
        Report(trainer, _eval, "Testing", trainer.NumTestBatches.Sum(), trainer.NumTestBatches.Sum(), final: true);

    /// <inheritdoc />
    public override void OnPredictStart(Trainer trainer, LightningModule module) => _eval.Start();

    /// <inheritdoc />
    public override void OnPredictBatchEnd(Trainer trainer, LightningModule module, TorchSharp.torch.Tensor outputs, object batch, int batchIdx, int dataloaderIdx) =>
        Report(trainer, _eval, "Predicting", batchIdx + 1, Total(trainer.NumPredictBatches, dataloaderIdx), final: false);

    /// <inheritdoc />
    public override void OnPredictEnd(Trainer trainer, LightningModule module) =>
        Report(trainer, _eval, "Predicting", trainer.NumPredictBatches.Sum(), trainer.NumPredictBatches.Sum(), final: true);

    private void StartTrainBar(Trainer trainer)
    {
        // The label is made once per epoch rather than after every batch.
        _epochStage = string.Create(CultureInfo.InvariantCulture, $"Epoch {trainer.CurrentEpoch}");
        _train.Start();
    }

    private static int? Total(IReadOnlyList<int> counts, int index) => index < counts.Count ? counts[index] : null;

    private void Report(Trainer trainer, Bar bar, string stage, int done, int? total, bool final)
    {
        if (!Output.Shows(trainer)) return;
        if (Interactive)
        {
            if (!final && bar.SinceDraw.Elapsed < RefreshRate && done != total) return;
            Redraw(Line(trainer, bar, stage, done, total), final);
            bar.SinceDraw.Restart();
            return;
        }
        // Plain output: a line at each of the first four fifths, and the last at the stage's end, after its
        // validation, so that line carries the validation metrics.
        var fifth = total is > 0 ? done * 5 / total.Value : 0;
        if (!final && (fifth <= bar.ReportedFifth || fifth >= 5)) return;
        bar.ReportedFifth = final ? 5 : fifth;
        Out.WriteLine(Line(trainer, bar, stage, done, total));
    }

    /// <summary>
    /// Draws <paramref name="line"/> over the terminal's current line, blanking what is left of a longer line drawn
    /// before (so no tail of it stays visible), and ends the line when <paramref name="final"/>.
    /// </summary>
    private void Redraw(string line, bool final)
    {
        Out.Write('\r' + line + new string(' ', Math.Max(0, _drawnLength - line.Length)) + (final ? Environment.NewLine : ""));
        _drawnLength = final ? 0 : line.Length;
    }

    /// <summary>One progress line: stage, percentage and bar, counts, elapsed and remaining time, rate, metrics.</summary>
    private string Line(Trainer trainer, Bar bar, string stage, int done, int? total)
    {
        var elapsed = bar.Clock.Elapsed;
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var text = new StringBuilder(stage).Append(": ");
        if (total is > 0 and var n)
        {
            var fraction = Math.Min(1.0, (double)done / n);
            var filled = (int)Math.Round(fraction * BarWidth);
            text.Append(CultureInfo.InvariantCulture, $"{fraction * 100,3:0}%|").Append(new string('█', filled)).Append(' ', BarWidth - filled)
                .Append(CultureInfo.InvariantCulture, $"| {done}/{n} ");
            var remaining = rate > 0 ? TimeSpan.FromSeconds((n - done) / rate) : TimeSpan.Zero;
            text.Append(CultureInfo.InvariantCulture, $"[{Clock(elapsed)}<{Clock(remaining)}, ");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{done} [{Clock(elapsed)}, ");
        }
        text.Append(rate >= 1 || rate == 0 ? $"{rate.ToString("0.00", CultureInfo.InvariantCulture)}it/s" : $"{(1 / rate).ToString("0.00", CultureInfo.InvariantCulture)}s/it");
        foreach (var (name, value) in trainer.ProgressBarMetrics)
            text.Append(", ").Append(name).Append('=').Append(value.ToString("0.###", CultureInfo.InvariantCulture));
        if (trainer.Logger is { } logger) text.Append(", v_num=").Append(logger.Version.Replace("version_", "", StringComparison.Ordinal));
        return text.Append(']').ToString();
    }

    private static string Clock(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"mm\:ss", CultureInfo.InvariantCulture);

    /// <summary>The timing of one bar: training epochs have one, evaluation stages another.</summary>
    private sealed class Bar
    {
        public Stopwatch Clock { get; } = new();

        public Stopwatch SinceDraw { get; } = new();

        public int ReportedFifth { get; set; }

        public void Start()
        {
            Clock.Restart();
            SinceDraw.Restart();
            ReportedFifth = 0;
        }
    }
}
