namespace Lightning.Tool.Hooks;

/// <summary>
/// A named set of changes that together give a module one feature, such as <c>validation</c>.
/// </summary>
/// <param name="Name">The group's name in kebab case.</param>
/// <param name="Help">One line of help.</param>
/// <param name="Hooks">Hooks to add (those the module lacks).</param>
/// <param name="Callbacks">Callbacks to return from <c>ConfigureCallbacks</c> (templates under <c>Templates/Callbacks</c>).</param>
/// <param name="AddsScheduler">Whether <c>ConfigureOptimizers</c> gains a learning-rate scheduler.</param>
internal sealed record HookGroup(string Name, string Help, IReadOnlyList<string> Hooks, IReadOnlyList<string> Callbacks, bool AddsScheduler = false);
