using System.CommandLine;
using Lightning.Tool.Hooks;
using Lightning.Tool.Projects;

namespace Lightning.Tool.Commands;

/// <summary>
/// <c>dotnet lightning stub-hooks</c>, hidden: the build of the <c>lightning</c> template runs it to write a stub of
/// every hook its module lacks in place of its module's line <c>// @HookStubs@ ...</c>.
/// </summary>
internal static class StubHooksCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(ToolContext context)
    {
        var project = CommonOptions.Project();
        var className = CommonOptions.Class();
        var command = new Command("stub-hooks", $"Write a stub of every hook the module does not override in place of its line starting `{HookStubber.Marker}`.")
        {
            project, className,
        };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var csproj = CSharpProject.Load(ProjectLocator.Locate(parse.GetValue(project), context));
            var module = ModuleSelector.Select(csproj, parse.GetValue(className));
            return PlanOutput.Finish(HookStubber.Plan(module, csproj), dryRun: false, csproj.Directory, context);
        });
        return command;
    }
}
