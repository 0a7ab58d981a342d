using Lightning.Tool.CodeEditing;
using Lightning.Tool.Hooks;

namespace Lightning.Tool.Projects;

/// <summary>Picks the <c>LightningModule</c> a command works on: the only one, or the one <c>--class</c> names.</summary>
internal static class ModuleSelector
{
    /// <summary>The module classes of the project.</summary>
    public static IReadOnlyList<ModuleClass> Modules(CSharpProject project) =>
        new ModuleFinder(project.Documents, project.GlobalScope).Find("LightningModule");

    /// <summary>The selected module, whose files parse without errors.</summary>
    public static ModuleClass Select(CSharpProject project, string? className)
    {
        var modules = Modules(project);
        var projectName = Path.GetFileName(project.Path);
        if (modules.Count == 0)
        {
            var broken = project.Documents.Select(d => d.FirstSyntaxError()).OfType<string>().ToList();
            throw new ToolException(
                $"No class in {projectName} derives from LightningModule<TBatch> ({project.Documents.Count} C# files searched)." +
                (broken.Count > 0 ? $" Some files do not parse, which may hide it:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", broken)}"
                    : " Create one with `dotnet new lightning`, or pass --project <the project holding your module>."));
        }
        ModuleClass module;
        if (className is not null)
        {
            // Zoo.Nested names a class nested in Zoo, or one in a namespace ending in Zoo: any dotted tail of the full name.
            var tails = modules.Where(m => m.FullName.EndsWith("." + className, StringComparison.Ordinal)).ToList();
            if (tails.Count > 1 && !modules.Any(m => m.Name == className || m.FullName == className))
                throw ToolException.Usage($"--class {className} fits several modules: {string.Join(", ", tails.Select(m => m.FullName))}. Give the full name, e.g. --class {tails[0].FullName}.");
            module = modules.FirstOrDefault(m => m.Name == className || m.FullName == className)
                ?? tails.FirstOrDefault()
                ?? modules.FirstOrDefault(m => string.Equals(m.Name, className, StringComparison.OrdinalIgnoreCase))
                ?? throw ToolException.Usage(
                    $"No LightningModule class named {className} in {projectName}. Its modules: {string.Join(", ", modules.Select(m => m.FullName))}." +
                    Suggestion(className, modules.Select(m => m.Name)));
        }
        else if (modules.Count > 1)
            throw ToolException.Usage(
                $"{projectName} holds several LightningModule classes: {string.Join(", ", modules.Select(m => m.FullName))}. Pick one with --class, e.g. --class {modules[0].Name}.");
        else module = modules[0];

        foreach (var document in module.Documents)
            if (document.FirstSyntaxError() is { } error)
                throw new ToolException($"{module.Name} is in a file that does not parse, so the tool will not edit it. Fix the error and run again:{Environment.NewLine}  {error}");
        return module;
    }

    private static string Suggestion(string typed, IEnumerable<string> names) =>
        NameSuggester.Nearest(typed, names) is { Count: > 0 } near ? $" Did you mean {string.Join(" or ", near)}?" : string.Empty;
}
