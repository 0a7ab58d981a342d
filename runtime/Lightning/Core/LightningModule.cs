using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Lightning;

/// <summary>
/// The part of a <see cref="LightningModule{TBatch}"/> that does not depend on the batch type: logging,
/// hyperparameters, optimizers and every hook that takes no batch. Callbacks, loggers and the trainer
/// work with this type; derive from <see cref="LightningModule{TBatch}"/>.
/// </summary>
public abstract partial class LightningModule : nn.Module
{
    private Dictionary<string, object?> _hparams = new(StringComparer.Ordinal);
    private bool _warnedLogWithoutTrainer;

    /// <summary>Creates the module; <paramref name="name"/> defaults to the class name.</summary>
    protected LightningModule(string? name = null) : base(CheckedName(name))
    {
    }

    // nn.Module's constructor already calls into LibTorch, so the native check runs while its argument is computed.
    private static string CheckedName(string? name)
    {
        Native.NativeRuntime.EnsureAvailable();
        return name ?? string.Empty;
    }

    /// <summary>The trainer running this module, while one is.</summary>
    public Trainer? Trainer { get; internal set; }

    /// <summary>The device the module's parameters are on.</summary>
    public Device Device => Trainer?.RootDevice ?? parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>The current training epoch (0-based), or 0 when no trainer is attached.</summary>
    public int CurrentEpoch => Trainer?.CurrentEpoch ?? 0;

    /// <summary>Optimizer steps taken so far, or 0 when no trainer is attached.</summary>
    public long GlobalStep => Trainer?.GlobalStep ?? 0;

    /// <summary>
    /// When <see langword="false"/>, the trainer does not call backward, step or zero-grad; the training step
    /// does it with <see cref="Optimizers"/> and <see cref="ManualBackward"/> (Lightning's manual optimization).
    /// </summary>
    public bool AutomaticOptimization { get; set; } = true;

    /// <summary>
    /// Optimizers chosen outside the module, used instead of <see cref="ConfigureOptimizers"/> when set (which is then
    /// not called), as Lightning's CLI replaces <c>configure_optimizers</c>: <c>LightningCli</c>'s
    /// <c>--optimizer</c> sets it, so a module without <see cref="ConfigureOptimizers"/> trains with the optimizer given
    /// on the command line. Default: <see langword="null"/>.
    /// </summary>
    public Func<OptimizerConfig>? ConfigureOptimizersOverride { get; set; }

    /// <summary>
    /// When <see langword="true"/> (default), loading a checkpoint whose weights do not match this module's
    /// exactly is an error; otherwise missing and unexpected keys are reported and skipped.
    /// </summary>
    public bool StrictLoading { get; set; } = true;

    /// <summary>
    /// An example input (Lightning's <c>example_input_array</c>): with one, the model summary runs it through the
    /// module's <c>forward(Tensor)</c> and shows each layer's input and output sizes. Sizes are seen for layers invoked
    /// with <c>call(x)</c>, which runs TorchSharp's hooks; a layer run with <c>forward(x)</c> shows <c>?</c>.
    /// </summary>
    public Tensor? ExampleInputArray { get; set; }

    /// <summary>The hyperparameters recorded by <see cref="SaveHyperparameters(IReadOnlyCollection{string})"/>.</summary>
    public IReadOnlyDictionary<string, object?> HParams => _hparams;

    /// <summary>
    /// Records the module's constructor arguments as hyperparameters (Lightning's <c>save_hyperparameters()</c>):
    /// for each parameter of the public constructor with the most parameters, the value of the field or property
    /// of the same name (ignoring case and a leading underscore). Call it at the end of the constructor. The
    /// values go to the loggers and into checkpoints, and <see cref="LoadFromCheckpoint{T}"/> rebuilds the module from them.
    /// An argument kept in no such member is named in a warning; leave it out on purpose with <paramref name="ignore"/>
    /// (Lightning's <c>save_hyperparameters(ignore=[...])</c>), for example a loss module or a large tensor.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="ignore"/> names something that is not a constructor parameter.</exception>
    protected void SaveHyperparameters(IReadOnlyCollection<string>? ignore = null) => _hparams = Hyperparameters.FromConstructor(this, ignore ?? []);

    /// <summary>
    /// Records the given values as hyperparameters: <c>SaveHyperparameters(new { hiddenSize, learningRate })</c>
    /// or a dictionary. Names should match constructor parameter names for <see cref="LoadFromCheckpoint{T}"/>.
    /// </summary>
    protected void SaveHyperparameters(object hyperparameters) => _hparams = Hyperparameters.FromObject(hyperparameters);

    /// <summary>
    /// Rebuilds a module of type <typeparamref name="T"/> from a checkpoint: constructs it from the saved
    /// hyperparameters (matched to constructor parameters by name) and loads its weights.
    /// </summary>
    public static T LoadFromCheckpoint<T>(string path, bool? strict = null) where T : LightningModule =>
        Checkpointing.CheckpointLoader.LoadModule<T>(path, strict);

    // ----- logging -----------------------------------------------------------------------------------

    /// <summary>
    /// Logs a metric (Lightning's <c>self.log</c>). Where <paramref name="onStep"/> and <paramref name="onEpoch"/>
    /// are not given they follow the hook: in <c>TrainingStep</c> and training-batch hooks per step, elsewhere per
    /// epoch. Logged per step and per epoch, the metric is forked into <c>name_step</c> and <c>name_epoch</c>.
    /// Epoch values are reduced with <paramref name="reduce"/>; <see cref="Reduce.Mean"/> weights each step by
    /// its batch size (from <paramref name="batchSize"/>, else the first tensor dimension of the batch). With
    /// <paramref name="syncDist"/>, under data-parallel training the value is reduced across ranks with
    /// <paramref name="reduce"/> when logged, so every rank logs the value over all ranks' data. As in Lightning, the
    /// value stays on its device until a logger, the progress bar or a callback needs the number, so a step that logs
    /// does not wait for the GPU (with <paramref name="syncDist"/> it is read to be reduced).
    /// With no Trainer attached (a step called from a unit test), it warns once and logs nothing, as Lightning does.
    /// </summary>
    public void Log(string name, Tensor value, bool progBar = false, bool logger = true, bool? onStep = null,
        bool? onEpoch = null, Reduce reduce = Reduce.Mean, int? batchSize = null, bool syncDist = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.numel() != 1)
            throw new ArgumentException(
                $"Log(\"{name}\") needs a scalar (one-element) tensor, but got shape [{string.Join(", ", value.shape)}]. Reduce it first, for example with .mean().",
                nameof(value));
        if (LoggingTrainer(name) is not { } trainer) return;
        // A logged tensor stays on its device unless it must be reduced across ranks.
        if (syncDist) LogTo(trainer, name, Logging.DeviceReads.Read(value), progBar, logger, onStep, onEpoch, reduce, batchSize, syncDist);
        else trainer.Logging.Log(name, value, progBar, logger, onStep, onEpoch, reduce, batchSize);
    }

    /// <summary>Logs a plain number; see <see cref="Log(string, Tensor, bool, bool, bool?, bool?, Reduce, int?, bool)"/>.</summary>
    public void Log(string name, double value, bool progBar = false, bool logger = true, bool? onStep = null,
        bool? onEpoch = null, Reduce reduce = Reduce.Mean, int? batchSize = null, bool syncDist = false)
    {
        if (LoggingTrainer(name) is { } trainer) LogTo(trainer, name, value, progBar, logger, onStep, onEpoch, reduce, batchSize, syncDist);
    }

    // A synchronised value is reduced the way its epoch value is, so aggregating the reduced step values over the
    // epoch (every rank takes as many batches of the same sizes) gives the value over all ranks' data.
    private static void LogTo(Trainer trainer, string name, double value, bool progBar, bool logger, bool? onStep, bool? onEpoch, Reduce reduce, int? batchSize, bool syncDist) =>
        trainer.Logging.Log(name, syncDist ? trainer.Strategy.Reduce(value, reduce) : value, progBar, logger, onStep, onEpoch, reduce, batchSize);

    // The Trainer to log to; null (after a warning, once) when none runs this module.
    private Trainer? LoggingTrainer(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Trainer is not { } trainer)
        {
            // As in Lightning, so a step can be called in a unit test without a Trainer.
            if (!_warnedLogWithoutTrainer)
                Output.Warn($"{GetType().Name}.Log(\"{name}\") was called, but no Trainer runs this module yet, so nothing is logged. " +
                               "This is expected when calling a step directly, as in a unit test; otherwise pass the module to a Trainer.");
            _warnedLogWithoutTrainer = true;
            return null;
        }
        return trainer;
    }

    /// <summary>Logs several metrics with the same settings (Lightning's <c>log_dict</c>).</summary>
    public void LogDict(IEnumerable<KeyValuePair<string, Tensor>> metrics, bool progBar = false, bool logger = true,
        bool? onStep = null, bool? onEpoch = null, Reduce reduce = Reduce.Mean, int? batchSize = null, bool syncDist = false)
    {
        foreach (var (name, value) in metrics) Log(name, value, progBar, logger, onStep, onEpoch, reduce, batchSize, syncDist);
    }

    /// <summary>Logs several plain numbers with the same settings.</summary>
    public void LogDict(IEnumerable<KeyValuePair<string, double>> metrics, bool progBar = false, bool logger = true,
        bool? onStep = null, bool? onEpoch = null, Reduce reduce = Reduce.Mean, int? batchSize = null, bool syncDist = false)
    {
        foreach (var (name, value) in metrics) Log(name, value, progBar, logger, onStep, onEpoch, reduce, batchSize, syncDist);
    }

    // ----- module state ---------------------------------------------------------------------------------

    /// <summary>
    /// Stops every parameter from training and puts the module in evaluation mode (Lightning's <c>freeze()</c>), for
    /// inference or to use the module as a fixed feature extractor.
    /// </summary>
    public void Freeze()
    {
        foreach (var parameter in parameters()) parameter.requires_grad = false;
        eval();
    }

    /// <summary>Lets every parameter train again and puts the module in training mode (Lightning's <c>unfreeze()</c>).</summary>
    public void Unfreeze()
    {
        foreach (var parameter in parameters()) parameter.requires_grad = true;
        train();
    }

    /// <summary>
    /// Writes <paramref name="values"/>, separated by spaces, as one line to the console, only in the process of global
    /// rank 0 (Lightning's <c>self.print</c>), so a data-parallel job prints it once. Without a Trainer it always prints.
    /// </summary>
    public void Print(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!Output.Shows(Trainer)) return;
        Output.Out.WriteLine(string.Join(' ', values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
    }

    // ----- optimization helpers --------------------------------------------------------------------------

    /// <summary>The optimizers from <c>ConfigureOptimizers</c>, for manual optimization.</summary>
    public IReadOnlyList<LightningOptimizer> Optimizers() => RequireTrainer(nameof(Optimizers)).LightningOptimizers;

    /// <summary>The learning-rate schedulers from <c>ConfigureOptimizers</c>, for manual optimization.</summary>
    public IReadOnlyList<LRScheduler> LrSchedulers() =>
        RequireTrainer(nameof(LrSchedulers)).SchedulerConfigs.Select(c => c.Scheduler).ToList();

    /// <summary>
    /// Every process's <paramref name="tensor"/> (all of the same shape), stacked along a new first dimension in rank
    /// order (Lightning's <c>all_gather</c>); with one process, <paramref name="tensor"/> with a first dimension of 1.
    /// Every process must call it at the same point.
    /// </summary>
    public Tensor AllGather(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return RequireTrainer(nameof(AllGather)).Strategy.AllGather(tensor);
    }

    /// <summary>
    /// Backward pass for manual optimization: applies the precision plugin's loss scaling and calls the
    /// backward hooks, like <c>manual_backward</c>. Use it instead of <c>loss.backward()</c>.
    /// </summary>
    public void ManualBackward(Tensor loss) => Loops.OptimizationStep.Backward(RequireTrainer(nameof(ManualBackward)), loss);

    /// <summary>
    /// Clips the gradients of the parameters <paramref name="optimizer"/> updates, by norm or by value; the default
    /// <see cref="ConfigureGradientClipping"/> calls it. Override it to clip differently everywhere it is used.
    /// </summary>
    public virtual void ClipGradients(Optimizer optimizer, double? gradientClipVal = null, GradientClipAlgorithm? gradientClipAlgorithm = null)
    {
        if (gradientClipVal is not { } clip || clip <= 0) return;
        // Under loss scaling (16-mixed) gradients stay scaled until the step; clip them at true scale. Unscaling is done
        // once per step, so the trainer's own unscale before its clipping does nothing more.
        Trainer?.Precision.Unscale(optimizer);
        var parameters = optimizer.parameters().Where(p => p.grad is not null).ToList();
        if (parameters.Count == 0) return;
        if ((gradientClipAlgorithm ?? GradientClipAlgorithm.Norm) == GradientClipAlgorithm.Norm)
            nn.utils.clip_grad_norm_(parameters, clip);
        else
            nn.utils.clip_grad_value_(parameters, clip);
    }

    private Trainer RequireTrainer(string member) => Trainer ?? throw new InvalidOperationException(
        $"{member}() needs a Trainer; call it from a step or hook while the Trainer runs the module.");

    // ----- hooks with a default that does something; the others are generated from Core/Hooks/HookDeclarations.cs ----

    /// <summary>Extra callbacks this module needs; they replace trainer callbacks of the same type.</summary>
    public virtual IEnumerable<Callback> ConfigureCallbacks() => [];

    /// <summary>Runs the backward pass; override for a custom backward (Lightning's <c>backward</c>).</summary>
    public virtual void Backward(Tensor loss) => loss.backward();

    /// <summary>Clips gradients before the step; the default applies <c>GradientClipVal</c> and <c>GradientClipAlgorithm</c>.</summary>
    public virtual void ConfigureGradientClipping(Optimizer optimizer, double? gradientClipVal, GradientClipAlgorithm? gradientClipAlgorithm) =>
        ClipGradients(optimizer, gradientClipVal, gradientClipAlgorithm);

    /// <summary>
    /// Steps the optimizer; override for learning-rate warm-up or other per-step control. Pass
    /// <paramref name="optimizerClosure"/> on to <c>optimizer.step</c>: optimizers that evaluate the loss several
    /// times per step (LBFGS) call it, and each call after the first runs the batch's training step, zero-grad and
    /// backward again. It is null under manual optimization when <c>step()</c> was given no closure.
    /// </summary>
    public virtual void OptimizerStep(int epoch, int batchIdx, Optimizer optimizer, Func<Tensor>? optimizerClosure) =>
        optimizer.step(optimizerClosure);

    /// <summary>
    /// Clears the optimizer's gradients before the next backward by dropping them on every device, as Lightning's call
    /// of PyTorch's <c>zero_grad()</c> does by default (<c>set_to_none=True</c>): backward then writes fresh gradients
    /// instead of adding to zeros, a kernel less per parameter on each side of it, and a parameter that gets none is
    /// skipped by the step. (TorchSharp's <c>zero_grad()</c> zeroes in place, hence the parameters' gradients are set
    /// to null here.) Override to zero them in place instead.
    /// </summary>
    public virtual void OptimizerZeroGrad(int epoch, int batchIdx, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        OptimizerGradients.Drop(optimizer);
    }

    /// <summary>Steps a learning-rate scheduler, with the monitored metric when it needs one.</summary>
    public virtual void LrSchedulerStep(LRScheduler scheduler, double? metric)
    {
        if (metric is { } m) scheduler.step(m, null);
        else scheduler.step();
    }

    /// <summary>Called before validation inside fit; the default zeroes the gradients.</summary>
    public virtual void OnValidationModelZeroGrad() => zero_grad();

    /// <summary>Puts the module in evaluation mode for validation.</summary>
    public virtual void OnValidationModelEval() => eval();

    /// <summary>
    /// Ends validation's evaluation mode. Where this is not overridden, each submodule gets back the mode it had
    /// before validation (a submodule frozen in evaluation mode stays so), as in Lightning.
    /// </summary>
    public virtual void OnValidationModelTrain() => train();

    /// <summary>Puts the module in evaluation mode for testing.</summary>
    public virtual void OnTestModelEval() => eval();

    /// <summary>
    /// Ends testing's evaluation mode. Where this is not overridden, each submodule gets back the mode it had
    /// before the test, as in Lightning.
    /// </summary>
    public virtual void OnTestModelTrain() => train();

    /// <summary>Puts the module in evaluation mode for prediction; each submodule's previous mode is restored afterwards.</summary>
    public virtual void OnPredictModelEval() => eval();

    /// <summary>
    /// Whether a derived class overrides the named virtual method (Lightning's <c>is_overridden</c>): the trainer skips work
    /// for hooks nobody overrides, and <c>LightningCli</c> tests after fitting only a module that overrides <c>TestStep</c>.
    /// </summary>
    /// <param name="methodName">The method's name, for example <c>nameof(LightningModule&lt;T&gt;.TestStep)</c>.</param>
    public bool Overrides(string methodName)
    {
        for (var type = GetType(); type is not null && type != typeof(LightningModule); type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(LightningModule<>)) return false;
            if (type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Any(m => m.Name == methodName && m.GetBaseDefinition().DeclaringType != type))
                return true;
        }
        return false;
    }
}
