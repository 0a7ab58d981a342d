using System.CommandLine;
using Lightning.Tool.CodeEditing;
using Lightning.Tool.Datasets;
using Lightning.Tool.Projects;
using Lightning.Tool.Templates;

namespace Lightning.Tool.Commands;

/// <summary><c>dotnet lightning add-dataset &lt;kind&gt;</c>: writes a new <c>LightningDataModule</c> file for a kind of data set.</summary>
internal static class AddDatasetCommand
{
    /// <summary>Builds the command, one sub-command per data set kind.</summary>
    public static Command Create(ToolContext context)
    {
        var command = new Command("add-dataset", "Create a LightningDataModule for your data: csv, idx, image-folder or tensor. `add-dataset <kind> --help` shows a kind's options.");
        foreach (var kind in DatasetCatalog.Create()) command.Subcommands.Add(KindCommand(kind, context));
        return command;
    }

    private static Command KindCommand(DatasetKind kind, ToolContext context)
    {
        var name = new Option<string?>("--name", "-n") { Description = $"The class name, also the file name. Default: {kind.DefaultClassName}.", HelpName = "ClassName" };
        var ns = new Option<string?>("--namespace") { Description = "The namespace. Default: the LightningModule's namespace, else the project's root namespace.", HelpName = "Namespace" };
        var project = CommonOptions.Project();
        var dryRun = CommonOptions.DryRun();
        var force = CommonOptions.Force();
        var wire = new Option<bool>("--wire") { Description = "Switch the project's LightningCli.Run<TModel, TDataModule> (Program.cs in the lightning-classifier template) to the new data module." };
        var command = new Command(kind.Name, kind.Help) { name, ns, project, dryRun, force, wire };
        foreach (var option in kind.Options) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var className = parse.GetValue(name) ?? kind.DefaultClassName;
            if (Identifiers.ClassNameProblem(className, "--name") is { } problem) throw ToolException.Usage(problem);
            var givenNamespace = parse.GetValue(ns);
            if (givenNamespace is not null && !Identifiers.IsValidNamespace(givenNamespace))
                throw ToolException.Usage($"--namespace '{givenNamespace}' is not a C# namespace (dotted identifiers, e.g. MyApp.Data).");
            var variables = kind.Variables(parse);
            var csproj = CSharpProject.Load(ProjectLocator.Locate(parse.GetValue(project), context));
            var found = kind.Inspect(parse, csproj.Directory);
            var plan = Plan(csproj, kind, className, givenNamespace, parse.GetValue(force), variables);
            if (found is not null) plan.Notes.Insert(0, found);
            CliWiring.Plan(csproj, className, Namespace(csproj, givenNamespace), parse.GetValue(wire), plan);
            return PlanOutput.Finish(plan, parse.GetValue(dryRun), csproj.Directory, context);
        });
        return command;
    }

    // The given namespace, else the first module's, else the project's root namespace.
    private static string Namespace(CSharpProject project, string? givenNamespace)
    {
        var module = ModuleSelector.Modules(project).FirstOrDefault();
        var moduleNamespace = module is null ? string.Empty : ModuleFinder.Namespace(module.InsertionPart.Declaration);
        return givenNamespace ?? (moduleNamespace.Length > 0 ? moduleNamespace : project.RootNamespace);
    }

    private static EditPlan Plan(CSharpProject project, DatasetKind kind, string className, string? givenNamespace, bool force, Dictionary<string, object?> variables)
    {
        var path = Path.Combine(project.Directory, className + ".cs");
        var exists = File.Exists(path);
        if (exists && !force)
            throw new ToolException($"{path} exists already; nothing was changed. Pass --force to overwrite it, or choose another --name.");
        if (exists && !GeneratedMark.IsOn(TextFile.Read(path).Text))
            throw new ToolException($"{path} exists and was not written by `dotnet lightning add-dataset` (its first line is not the tool's mark), so --force does not replace it; nothing was changed. Choose another --name.");
        var clash = project.Documents.FirstOrDefault(d => d.Path != path && d.Root.DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>().Any(t => t.Identifier.ValueText == className));
        if (clash is not null)
            throw ToolException.Usage($"A type named {className} exists already in {Path.GetRelativePath(project.Directory, clash.Path)}; choose another --name.");

        var module = ModuleSelector.Modules(project).FirstOrDefault();
        var ns = Namespace(project, givenNamespace);
        variables["class_name"] = className;
        var typeText = TemplateRenderer.Render("Datasets." + kind.Template, variables);
        var (text, style) = DataModuleWriter.Compose(project, kind, typeText, ns);

        var plan = new EditPlan();
        plan.Add(exists ? new FileEdit(TextFile.Read(path), text) : new FileEdit(TextFile.Create(path, style), text, IsNew: true));
        plan.Done.Add($"{(exists ? "Replaced" : "Created")} {className}.cs: a LightningDataModule<(Tensor X, Tensor Y)> for {kind.Name} data.");
        PackageReferenceEditor.Plan(project, kind.Packages, plan);
        if (module is not null && !module.Batch.IsPair)
            plan.Notes.Add($"{module.Name} takes batches of {module.Batch.Resolved}, but {className} yields (Tensor X, Tensor Y); change one of them to match.");
        return plan;
    }
}
