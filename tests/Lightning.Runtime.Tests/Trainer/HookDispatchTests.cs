using System.Reflection;
using System.Runtime.CompilerServices;
using Lightning.Tests.Support;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Tests;

/// <summary>
/// Every hook is called through the trainer's one dispatcher: inside each callback hook the trainer names that hook as
/// the running one (what <c>Log</c> checks and its errors name), and callbacks and the module run in the one order.
/// </summary>
[TestClass]
public sealed class HookDispatchTests
{
    /// <summary>Records, for each hook it gets, the hook the trainer says is running.</summary>
    private sealed class CurrentHookRecorder : Callback
    {
        public List<(string Hook, string? Running)> Seen { get; } = [];

        private void See(Trainer trainer, [CallerMemberName] string hook = "") => Seen.Add((hook, trainer.Hooks.Current));

        public override void Setup(Trainer trainer, LightningModule module, Stage stage) => See(trainer);
        public override void Teardown(Trainer trainer, LightningModule module, Stage stage) => See(trainer);
        public override void OnFitStart(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnFitEnd(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnSanityCheckStart(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnSanityCheckEnd(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnTrainStart(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnTrainEnd(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnTrainEpochStart(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnTrainEpochEnd(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnTrainBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx) => See(trainer);
        public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) => See(trainer);
        public override void OnValidationStart(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnValidationEnd(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnValidationEpochStart(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnValidationEpochEnd(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnValidationBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => See(trainer);
        public override void OnValidationBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) => See(trainer);
        public override void OnTestStart(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnTestEnd(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnTestEpochStart(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnTestEpochEnd(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnTestBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => See(trainer);
        public override void OnTestBatchEnd(Trainer trainer, LightningModule module, StepOutput? outputs, object batch, int batchIdx, int dataloaderIdx) => See(trainer);
        public override void OnPredictStart(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnPredictEnd(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnPredictEpochStart(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnPredictEpochEnd(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnPredictBatchStart(Trainer trainer, LightningModule module, object batch, int batchIdx, int dataloaderIdx) => See(trainer);
        public override void OnPredictBatchEnd(Trainer trainer, LightningModule module, Tensor outputs, object batch, int batchIdx, int dataloaderIdx) => See(trainer);
        public override void OnBeforeBackward(Trainer trainer, LightningModule module, Tensor loss) => See(trainer);
        public override void OnAfterBackward(Trainer trainer, LightningModule module) => See(trainer);
        public override void OnBeforeOptimizerStep(Trainer trainer, LightningModule module, Optimizer optimizer) => See(trainer);
        public override void OnBeforeZeroGrad(Trainer trainer, LightningModule module, Optimizer optimizer) => See(trainer);
        public override void OnSaveCheckpoint(Trainer trainer, LightningModule module, IDictionary<string, object?> checkpoint) => See(trainer);
        public override void OnLoadCheckpoint(Trainer trainer, LightningModule module, IReadOnlyDictionary<string, object?> checkpoint) => See(trainer);
        public override void OnException(Trainer trainer, LightningModule module, Exception exception) => See(trainer);
    }

    private sealed class FailingModel : TinyModel
    {
        public override StepOutput? TrainingStep((Tensor X, Tensor Y) batch, int batchIdx) => throw new InvalidOperationException("step failed");
    }

    /// <summary>The hooks a callback can override: <see cref="Callback"/>'s virtual methods that are given the trainer.</summary>
    private static IEnumerable<string> CallbackHooks() =>
        typeof(Callback).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.IsVirtual && m.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(Trainer))
            .Select(m => m.Name).Distinct();

    [TestMethod]
    public void InEveryCallbackHookTheTrainerNamesThatHookAsTheRunningOne()
    {
        var recorder = new CurrentHookRecorder();
        var options = Quiet.Options();
        options.EnableCheckpointing = true;
        options.LimitTrainBatches = 2;
        options.LimitValBatches = 2;
        options.Callbacks.Add(recorder);
        var trainer = new Trainer(options);
        using var model = new TinyModel();
        trainer.Fit(model, RandomData.Batches(4), RandomData.Batches(4, seed: 1));
        var checkpoint = trainer.CheckpointCallback!.BestModelPath;

        options.MaxEpochs = 2;
        new Trainer(options).Fit(model, RandomData.Batches(4), RandomData.Batches(4, seed: 1), ckptPath: checkpoint);
        trainer.Validate(model, RandomData.Batches(2, seed: 1));
        trainer.Test(model, RandomData.Batches(2, seed: 2));
        foreach (var prediction in trainer.Predict(model, RandomData.Batches(2, seed: 3))) prediction.Dispose();
        using var failing = new FailingModel();
        Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(options).Fit(failing, RandomData.Batches(2)));

        var wrong = recorder.Seen.Where(s => s.Hook != s.Running).Distinct().Select(s => $"{s.Hook} ran as {s.Running ?? "no hook"}").ToList();
        Assert.AreEqual(0, wrong.Count, string.Join("; ", wrong));
        CollectionAssert.AreEquivalent(CallbackHooks().ToList(), recorder.Seen.Select(s => s.Hook).Distinct().ToList(),
            "every callback hook ran (a new hook needs an override in the recorder)");
    }

    [TestMethod]
    public void InEveryModuleHookTheTrainerNamesThatHookAsTheRunningOne()
    {
        var running = new List<(string Called, string? Running)>();
        var options = Quiet.Options();
        options.EnableCheckpointing = true;
        options.LimitTrainBatches = 2;
        options.LimitValBatches = 2;
        var trainer = new Trainer(options);
        using var model = new HookedModel([]) { WithScheduler = true, Running = running };
        trainer.Fit(model);
        options.MaxEpochs = 2;
        new Trainer(options).Fit(model, ckptPath: trainer.CheckpointCallback!.BestModelPath);
        trainer.Validate(model);
        trainer.Test(model);
        foreach (var prediction in trainer.Predict(model)) prediction.Dispose();

        // These run inside the hook that calls them by default: the clipping hook, and the loader hooks for several loaders.
        var caller = new Dictionary<string, string> { ["ClipGradients"] = "ConfigureGradientClipping", ["ValDataLoader"] = "ValDataLoaders", ["TestDataLoader"] = "TestDataLoaders" };
        var hooks = running.Select(r => (Hook: r.Called.Split('(')[0], r.Running)).Where(r => Hooks.HookNames.All.Contains(r.Hook)).ToList();
        var wrong = hooks.Where(r => r.Running != caller.GetValueOrDefault(r.Hook, r.Hook)).Distinct().Select(r => $"{r.Hook} ran as {r.Running ?? "no hook"}").ToList();
        Assert.AreEqual(0, wrong.Count, string.Join("; ", wrong));
        Assert.IsTrue(hooks.Select(h => h.Hook).Distinct().Count() > 50, "the module's hooks ran");
    }

    [TestMethod]
    public void LoggingFromACallbackHookWhereNothingIsLoggedNamesThatHook()
    {
        var options = Quiet.Options();
        options.Callbacks.Add(new LambdaLogger());
        using var model = new TinyModel();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => new Trainer(options).Fit(model, RandomData.Batches(2)));
        StringAssert.Contains(error.Message, "Log(\"x\") was called in Setup, where nothing is logged");
    }

    private sealed class LambdaLogger : Callback
    {
        public override void Setup(Trainer trainer, LightningModule module, Stage stage) => module.Log("x", 1.0);
    }

    /// <summary>Records its hooks as <c>{name}.{hook}</c>.</summary>
    private class OrderRecorder(string name, List<string> order) : Callback
    {
        protected void Add(string hook) => order.Add($"{name}.{hook}");

        public override void OnTrainEpochStart(Trainer trainer, LightningModule module) => Add(nameof(OnTrainEpochStart));
        public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) => Add(nameof(OnTrainBatchEnd));
        public override void OnValidationEnd(Trainer trainer, LightningModule module) => Add(nameof(OnValidationEnd));
        public override void OnTestEnd(Trainer trainer, LightningModule module) => Add(nameof(OnTestEnd));
        public override void OnTrainEpochEnd(Trainer trainer, LightningModule module) =>
            Add(nameof(OnTrainEpochEnd) + (trainer.CallbackMetrics.ContainsKey("epoch_metric") ? "(metric)" : ""));
    }

    private sealed class MonitoringRecorder(List<string> order) : OrderRecorder("monitor", order)
    {
        protected internal override bool MonitorsMetrics => true;
    }

    private sealed class CheckpointRecorder(List<string> order) : Checkpoint
    {
        private readonly OrderRecorder _recorder = new("checkpoint", order);

        public override void OnTrainEpochStart(Trainer trainer, LightningModule module) => _recorder.OnTrainEpochStart(trainer, module);
        public override void OnTrainBatchEnd(Trainer trainer, LightningModule module, StepOutput outputs, object batch, int batchIdx) =>
            _recorder.OnTrainBatchEnd(trainer, module, outputs, batch, batchIdx);
        public override void OnValidationEnd(Trainer trainer, LightningModule module) => _recorder.OnValidationEnd(trainer, module);
        public override void OnTestEnd(Trainer trainer, LightningModule module) => _recorder.OnTestEnd(trainer, module);
        public override void OnTrainEpochEnd(Trainer trainer, LightningModule module) => _recorder.OnTrainEpochEnd(trainer, module);
    }

    private sealed class OrderModel(List<string> order) : TinyModel
    {
        private void Add(string hook) => order.Add($"module.{hook}");

        public override void OnTrainEpochStart() => Add(nameof(OnTrainEpochStart));
        public override void OnTrainBatchEnd(StepOutput outputs, (Tensor X, Tensor Y) batch, int batchIdx) => Add(nameof(OnTrainBatchEnd));
        public override void OnValidationEnd() => Add(nameof(OnValidationEnd));
        public override void OnTestEnd() => Add(nameof(OnTestEnd));
        public override void OnTrainEpochEnd()
        {
            Log("epoch_metric", 1.0);
            Add(nameof(OnTrainEpochEnd));
        }
    }

    [TestMethod]
    public void MonitoringCallbacksRunAfterTheOthersAndAfterTheModuleWhereTheyReadWhatItDid()
    {
        var order = new List<string>();
        var options = Quiet.Options();
        options.NumSanityValSteps = 0;
        // Given in the wrong order: the trainer orders them.
        options.Callbacks.AddRange([new CheckpointRecorder(order), new MonitoringRecorder(order), new OrderRecorder("plain", order)]);
        var trainer = new Trainer(options);
        using var model = new OrderModel(order);
        trainer.Fit(model, RandomData.Batches(2), RandomData.Batches(2, seed: 1));
        trainer.Test(model, RandomData.Batches(2, seed: 2), verbose: false);

        List<string> Of(string hook) => order.Where(o => o.EndsWith("." + hook, StringComparison.Ordinal) || o.Contains($".{hook}(", StringComparison.Ordinal)).Take(4).ToList();
        CollectionAssert.AreEqual(new[] { "plain.OnTrainEpochStart", "monitor.OnTrainEpochStart", "checkpoint.OnTrainEpochStart", "module.OnTrainEpochStart" },
            Of("OnTrainEpochStart"), "elsewhere every callback runs before the module, monitoring ones and checkpoints last");
        foreach (var hook in new[] { "OnTrainBatchEnd", "OnValidationEnd", "OnTestEnd" })
            CollectionAssert.AreEqual(new[] { $"plain.{hook}", $"monitor.{hook}", $"module.{hook}", $"checkpoint.{hook}" }, Of(hook),
                $"in {hook}, where checkpoints are saved, checkpoint callbacks run after the module");
        CollectionAssert.AreEqual(
            new[] { "plain.OnTrainEpochEnd", "module.OnTrainEpochEnd", "monitor.OnTrainEpochEnd(metric)", "checkpoint.OnTrainEpochEnd(metric)" },
            Of("OnTrainEpochEnd"), "at the epoch's end monitoring callbacks run after the module, and see the epoch's metrics");
    }
}
