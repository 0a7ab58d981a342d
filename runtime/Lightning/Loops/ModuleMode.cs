using static TorchSharp.torch;

namespace Lightning.Loops;

/// <summary>
/// The training flag of a module and of each of its submodules, captured before an evaluation or prediction run
/// switches to evaluation mode and put back after it (Lightning's <c>_ModuleMode</c>), so a submodule the user
/// froze in evaluation mode stays frozen and a module that was training trains again.
/// </summary>
internal sealed class ModuleMode
{
    private readonly List<(nn.Module Module, bool Training)> _modes = [];

    /// <summary>Records the flags of <paramref name="module"/> and its submodules.</summary>
    public void Capture(nn.Module module)
    {
        _modes.Clear();
        _modes.Add((module, module.training));
        foreach (var (_, submodule) in module.named_modules()) _modes.Add((submodule, submodule.training));
    }

    /// <summary>Puts the recorded flags back, parents before children (a module's <c>train</c> sets its children too).</summary>
    public void Restore()
    {
        foreach (var (module, training) in _modes) module.train(training);
        _modes.Clear();
    }
}
