using System.Linq.Expressions;
using System.Reflection;
using Lightning.Hooks;
using Lightning.Logging;
using Lightning.Tests.Support;

namespace Lightning.Tests;

/// <summary>What the generator writes from <c>Core/Hooks/HookDeclarations.cs</c>, checked against the declaration itself.</summary>
[TestClass]
public sealed class HookDeclarationTests
{
    private static IReadOnlyList<(MethodInfo Method, HookAttribute Hook)> Declared { get; } =
        typeof(IHookDeclarations<>).GetMethods().Select(m => (m, m.GetCustomAttribute<HookAttribute>()!)).ToList();

    private static IEnumerable<MethodInfo> CallbackHooks => Declared.Where(d => d.Hook.Targets.HasFlag(HookTargets.Callbacks)).Select(d => d.Method);

    // A callback's form of a hook: the trainer and the module, then the hook's parameters with the batch as object.
    private static Type[] CallbackParameters(MethodInfo hook) =>
        [typeof(Trainer), typeof(LightningModule), .. hook.GetParameters().Select(p => p.ParameterType.IsGenericParameter ? typeof(object) : p.ParameterType)];

    [TestMethod]
    public void EveryHookIsDeclaredWithHelpAndNamedByItsConstant()
    {
        Assert.IsGreaterThan(60, Declared.Count);
        foreach (var (method, hook) in Declared) Assert.IsFalse(string.IsNullOrWhiteSpace(hook.Help), method.Name);
        CollectionAssert.AreEqual(Declared.Select(d => d.Method.Name).ToList(), HookNames.All.ToList());
    }

    [TestMethod]
    public void CallbackHasExactlyTheDeclaredCallbackHooksWithTheDerivedSignatures()
    {
        foreach (var hook in CallbackHooks)
        {
            var virtualHook = typeof(Callback).GetMethod(hook.Name, CallbackParameters(hook));
            Assert.IsNotNull(virtualHook, $"Callback.{hook.Name}({string.Join(", ", CallbackParameters(hook).Select(t => t.Name))}) is missing");
            Assert.IsTrue(virtualHook.IsVirtual && virtualHook.IsPublic, hook.Name);
            Assert.AreEqual(typeof(void), virtualHook.ReturnType, $"{hook.Name}: a callback's hook returns nothing");
        }
        var handWritten = new[] { nameof(Callback.StateDict), nameof(Callback.LoadStateDict) };
        var hooks = typeof(Callback).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.IsVirtual && !m.IsSpecialName && !handWritten.Contains(m.Name)).Select(m => m.Name).Order().ToList();
        CollectionAssert.AreEqual(CallbackHooks.Select(h => h.Name).Order().ToList(), hooks, "Callback's hooks are the declared ones, no more");
    }

    [TestMethod]
    public void LambdaCallbackTakesAFunctionPerCallbackHookAndForwardsEachCallWithItsArguments()
    {
        var constructor = typeof(LambdaCallback).GetConstructors().Single();
        var parameters = constructor.GetParameters();
        CollectionAssert.AreEqual(CallbackHooks.Select(h => char.ToLowerInvariant(h.Name[0]) + h.Name[1..]).ToList(), parameters.Select(p => p.Name).ToList());

        var calls = new List<string>();
        var callback = (LambdaCallback)constructor.Invoke(parameters.Select(p => (object?)Recorder(p.ParameterType, p.Name!, calls)).ToArray());
        var expected = new List<string>();
        foreach (var hook in CallbackHooks)
        {
            var types = CallbackParameters(hook);
            var arguments = types.Select(Example).ToArray();
            typeof(LambdaCallback).GetMethod(hook.Name, types)!.Invoke(callback, arguments);
            expected.Add(Call(char.ToLowerInvariant(hook.Name[0]) + hook.Name[1..], arguments));
        }
        CollectionAssert.AreEqual(expected, calls);
        // A function not given does nothing.
        new LambdaCallback().OnFitStart(null!, null!);
    }

    [TestMethod]
    public void LogIsAllowedAndDefaultsToStepOrEpochAsEachHookDeclares()
    {
        foreach (var (method, hook) in Declared)
        {
            var connector = new LoggerConnector { CurrentHook = method.Name, Results = new ResultCollection(training: true) };
            // With onEpoch false and onStep left to the hook, a hook logging per epoch by default has nowhere to put the value.
            void Log() => connector.Log("x", 1.0, progBar: false, logger: true, onStep: null, onEpoch: false, Reduce.Mean, batchSize: 1);
            switch (hook.Log)
            {
                case HookLog.Never:
                    Assert.ThrowsExactly<InvalidOperationException>(Log, method.Name);
                    break;
                case HookLog.PerEpoch:
                    Assert.ThrowsExactly<ArgumentException>(Log, method.Name);
                    break;
                default:
                    Log();
                    break;
            }
        }
    }

    [TestMethod]
    public void EveryHookTheTrainerRunsIsADeclaredHook()
    {
        var called = new List<string>();
        var options = Quiet.Options(maxEpochs: 2);
        options.EnableCheckpointing = true;
        options.Profiler = "simple";
        options.Callbacks.Add(new HookedCallback(called));
        var trainer = new Trainer(options);
        using var model = new HookedModel(called);
        var ran = new HashSet<string>();
        trainer.Fit(model);
        ran.UnionWith(Actions(trainer));
        trainer.Validate(model);
        ran.UnionWith(Actions(trainer));
        trainer.Test(model, ckptPath: "best");
        ran.UnionWith(Actions(trainer));
        trainer.Predict(model);
        ran.UnionWith(Actions(trainer));

        Assert.IsGreaterThan(40, ran.Count, string.Join(", ", ran));
        var undeclared = ran.Except(HookNames.All).ToList();
        Assert.IsEmpty(undeclared, "the trainer ran hooks under names nothing declares: " + string.Join(", ", undeclared));
        // HookOrderTests pins the order of what HookedModel and HookedCallback record, so a hook they do not record
        // could run anywhere unnoticed: a new hook fails here until it is recorded (and placed in HookOrderTests).
        var unrecorded = ran.Select(hook => PlacedAs.GetValueOrDefault(hook, hook))
            .Where(hook => !called.Any(c => Records(c, hook) || Records(c, "Callback." + hook))).ToList();
        Assert.IsEmpty(unrecorded, "hooks ran that HookedModel/HookedCallback do not record, so HookOrderTests cannot place them: " +
            string.Join(", ", unrecorded));
    }

    // The loader-list hooks are Lightning's val_dataloader/test_dataloader returning a list; their defaults call the
    // single-loader hooks, which is where HookOrderTests places them.
    private static readonly Dictionary<string, string> PlacedAs = new()
    {
        [HookNames.ValDataLoaders] = HookNames.ValDataLoader,
        [HookNames.TestDataLoaders] = HookNames.TestDataLoader,
    };

    private static bool Records(string call, string hook) => call == hook || call.StartsWith(hook + "(", StringComparison.Ordinal);

    // The hooks the run's profiler saw, from its report's first column.
    private static IEnumerable<string> Actions(Trainer trainer) =>
        trainer.Profiler!.Summary().Split('\n').Where(l => l.StartsWith('|')).Skip(1)
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1]).Where(a => a != "Total").ToList();

    private static object? Example(Type type) =>
        type == typeof(int) ? 7 : type == typeof(Stage) ? Stage.Test : type == typeof(object) ? "batch" : null;

    private static string Call(string name, object?[] arguments) => $"{name}({string.Join(", ", arguments.Select(a => a?.ToString() ?? "null"))})";

    // A delegate of type `type` that records its name and arguments in `calls`.
    private static Delegate Recorder(Type type, string name, List<string> calls)
    {
        var parameters = type.GetMethod("Invoke")!.GetParameters().Select(p => Expression.Parameter(p.ParameterType)).ToList();
        var arguments = Expression.NewArrayInit(typeof(object), parameters.Select(p => Expression.Convert(p, typeof(object))));
        var call = Expression.Call(Expression.Constant(calls), typeof(List<string>).GetMethod(nameof(List<string>.Add))!,
            Expression.Call(typeof(HookDeclarationTests).GetMethod(nameof(Call), BindingFlags.NonPublic | BindingFlags.Static)!, Expression.Constant(name), arguments));
        return Expression.Lambda(type, call, parameters).Compile();
    }
}
