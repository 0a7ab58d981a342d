using Lightning.Hooks;
using Lightning.Logging;

namespace Lightning;

/// <summary>
/// The one place a run calls hooks from (Lightning's <c>trainer/call.py</c>): each call names the running hook, which
/// <c>Log</c> checks and error messages read, times it for the profiler, and puts back the hook it interrupted when it
/// returns or throws; <see cref="Call"/> orders the callbacks and the module by the one rule of <see cref="RunsAfterModule"/>.
/// </summary>
internal sealed class HookDispatcher
{
    private readonly LoggerConnector _logging;
    private readonly IReadOnlyList<Callback> _callbacks;
    private readonly Func<Profiler?> _profiler;

    /// <param name="logging">Holds the running hook's name for <c>Log</c>.</param>
    /// <param name="callbacks">The run's callbacks, already in <see cref="Order"/>; read at each call.</param>
    /// <param name="profiler">The current run's profiler, if any.</param>
    public HookDispatcher(LoggerConnector logging, IReadOnlyList<Callback> callbacks, Func<Profiler?> profiler)
    {
        _logging = logging;
        _callbacks = callbacks;
        _profiler = profiler;
    }

    /// <summary>The hook running now, or null between hooks.</summary>
    public string? Current => _logging.CurrentHook;

    /// <summary>Runs <paramref name="body"/> (a module's or data module's hook, or several under one name) as <paramref name="hook"/>.</summary>
    public void Run(string hook, Action body)
    {
        using (Enter(hook)) body();
    }

    /// <summary>Runs <paramref name="body"/> as <paramref name="hook"/> and returns what it returns.</summary>
    public T Run<T>(string hook, Func<T> body)
    {
        using (Enter(hook)) return body();
    }

    /// <summary>
    /// Calls <paramref name="hook"/> on every callback and on the module, in the order of <see cref="RunsAfterModule"/>;
    /// <paramref name="module"/> is null for hooks only callbacks have, and may do the work that belongs between the two.
    /// </summary>
    public void Call(string hook, Action<Callback> callback, Action? module = null)
    {
        var order = HookRules.Order(hook);
        using (Enter(hook))
        {
            foreach (var c in _callbacks)
                if (!RunsAfterModule(order, c)) callback(c);
            module?.Invoke();
            foreach (var c in _callbacks)
                if (RunsAfterModule(order, c)) callback(c);
        }
    }

    /// <summary>
    /// The order callbacks are called in: the others, then those that monitor metrics, then the checkpoint callbacks,
    /// so in one hook a checkpoint holds what the other callbacks did.
    /// </summary>
    public static IEnumerable<Callback> Order(IEnumerable<Callback> callbacks) =>
        callbacks.OrderBy(c => c is Checkpoint ? 2 : c.MonitorsMetrics ? 1 : 0);

    /// <summary>
    /// The ordering rule, as each hook's declaration gives it (<see cref="HookOrder"/>): callbacks run before the module,
    /// as in Lightning, except where a hook's declaration defers the monitoring or the checkpoint callbacks until after
    /// the module's part, or runs the module first.
    /// </summary>
    private static bool RunsAfterModule(HookOrder order, Callback callback) => order switch
    {
        HookOrder.MonitoringCallbacksLast => callback.MonitorsMetrics,
        HookOrder.CheckpointCallbacksLast => callback is Checkpoint,
        HookOrder.ModuleFirst => true,
        _ => false,
    };

    private Scope Enter(string hook)
    {
        var outer = _logging.CurrentHook;
        _logging.CurrentHook = hook;
        _profiler()?.Enter(hook);
        return new Scope(this, outer);
    }

    // The profiler goes on timing the interrupted hook as the same call, or closes the sections when none was running.
    private void Leave(string? outer)
    {
        _logging.CurrentHook = outer;
        if (outer is null) _profiler()?.End();
        else _profiler()?.Enter(outer);
    }

    /// <summary>A hook's run: disposing it, also on a throw, puts back the hook it interrupted. A struct, so a call allocates nothing.</summary>
    private readonly struct Scope(HookDispatcher dispatcher, string? outer) : IDisposable
    {
        public void Dispose() => dispatcher.Leave(outer);
    }
}
