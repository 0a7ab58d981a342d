using System.CommandLine;
using Lightning.Tool.Hooks;
using Lightning.Tool.Projects;

namespace Lightning.Tool.Commands;

/// <summary><c>dotnet lightning add-hook &lt;name...&gt;</c>: adds hooks or groups of hooks to a module.</summary>
internal static class AddHookCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(ToolContext context)
    {
        var names = new Argument<string[]>("name")
        {
            Description = "Hooks (validation_step, ValidationStep or validation-step) or groups: validation, test, predict, lr-scheduler, early-stopping, checkpoint.",
            Arity = ArgumentArity.OneOrMore,
        };
        var project = CommonOptions.Project();
        var className = CommonOptions.Class();
        var dryRun = CommonOptions.DryRun();
        var command = new Command("add-hook", "Add Lightning hooks to a LightningModule, in the file's own style. Hooks it has already are left alone.")
        {
            names, project, className, dryRun,
        };
        command.SetAction(parse =>
        {
            HookPlanner.Resolve(parse.GetRequiredValue(names));
            var csproj = CSharpProject.Load(ProjectLocator.Locate(parse.GetValue(project), context));
            var module = ModuleSelector.Select(csproj, parse.GetValue(className));
            var plan = new HookPlanner(module, csproj).Plan(parse.GetRequiredValue(names));
            return PlanOutput.Finish(plan, parse.GetValue(dryRun), csproj.Directory, context);
        });
        return command;
    }
}
