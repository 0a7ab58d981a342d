using System.CommandLine;
using Lightning.Tool.Commands;

namespace Lightning.Tool;

/// <summary>The <c>dotnet lightning</c> command line: its commands, and errors turned into messages and exit codes.</summary>
internal static class ToolApp
{
    /// <summary>Runs the tool with <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, ToolContext context)
    {
        var root = new RootCommand("dotnet lightning: add Lightning hooks and data set loaders to a Lightning for .NET project.")
        {
            AddHookCommand.Create(context),
            AddDatasetCommand.Create(context),
            ListCommand.Create(context),
            DoctorCommand.Create(context),
            PlotCommand.Create(context),
            StubHooksCommand.Create(context),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) context.Error.WriteLine("error: " + error.Message);
            context.Error.WriteLine($"Run `dotnet lightning {string.Join(' ', CommandPath(parse))} --help` for usage.".Replace("  ", " ", StringComparison.Ordinal));
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false });
        }
        catch (ToolException e)
        {
            context.Error.WriteLine("error: " + e.Message);
            return e.ExitCode;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            names.Insert(0, result.Command.Name);
        return names;
    }
}
