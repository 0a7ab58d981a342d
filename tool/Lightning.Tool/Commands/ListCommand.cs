using System.CommandLine;
using Lightning.Tool.CodeEditing;
using Lightning.Tool.Datasets;
using Lightning.Tool.Hooks;
using Lightning.Tool.Projects;

namespace Lightning.Tool.Commands;

/// <summary><c>dotnet lightning list</c>: the hook groups, hooks and data set kinds, marking hooks the module has.</summary>
internal static class ListCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(ToolContext context)
    {
        var project = CommonOptions.Project();
        var className = CommonOptions.Class();
        var command = new Command("list", "List the hook groups, hooks and data set kinds; with a project, mark (*) the hooks its module has.")
        {
            project, className,
        };
        command.SetAction(parse =>
        {
            var module = FindModule(parse.GetValue(project), parse.GetValue(className), context);
            Print(module, context.Output);
            return ExitCodes.Success;
        });
        return command;
    }

    // Listing works without a project; a project named explicitly must be found, though.
    private static ModuleClass? FindModule(string? project, string? className, ToolContext context)
    {
        try
        {
            var csproj = CSharpProject.Load(ProjectLocator.Locate(project, context));
            return ModuleSelector.Select(csproj, className);
        }
        catch (ToolException e) when (project is null && className is null)
        {
            context.Output.WriteLine($"(No module marked: {e.Message.Split(Environment.NewLine)[0]})");
            context.Output.WriteLine();
            return null;
        }
    }

    private static void Print(ModuleClass? module, TextWriter output)
    {
        output.WriteLine("Hook groups (dotnet lightning add-hook <group>):");
        foreach (var group in HookCatalog.Groups) output.WriteLine($"  {group.Name,-16} {group.Help}");
        output.WriteLine();
        output.WriteLine(module is null
            ? "Hooks (dotnet lightning add-hook <name>; Python, C# or kebab-case name), in calling order:"
            : $"Hooks of {module.Name} (* = overridden already), in calling order:");
        foreach (var hook in HookCatalog.Hooks)
        {
            var mark = module is not null && module.Overrides.Contains(hook.Name) ? "*" : " ";
            output.WriteLine($"{mark} {hook.PythonName,-30} {hook.Name,-28} {hook.Help}");
        }
        output.WriteLine();
        output.WriteLine("Data set kinds (dotnet lightning add-dataset <kind> --name <ClassName>):");
        foreach (var kind in DatasetCatalog.Create()) output.WriteLine($"  {kind.Name,-16} {kind.Help}");
    }
}
