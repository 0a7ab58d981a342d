using System.CommandLine;

namespace Lightning.Tool.Datasets;

/// <summary>
/// A kind of data set <c>add-dataset</c> can generate a data module for: its command-line options, the
/// template rendering the class, and what the generated code needs (namespaces, packages).
/// </summary>
internal abstract class DatasetKind
{
    /// <summary>The kind's name on the command line, e.g. <c>image-folder</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line of help.</summary>
    public abstract string Help { get; }

    /// <summary>The class name used when <c>--name</c> is not given.</summary>
    public abstract string DefaultClassName { get; }

    /// <summary>The template under <c>Templates/Datasets</c>.</summary>
    public abstract string Template { get; }

    /// <summary>The namespaces the generated file imports (<c>static X</c> for a static import).</summary>
    public virtual IReadOnlyList<string> Usings => ["System.Globalization", "Lightning", "TorchSharp", "static TorchSharp.torch"];

    /// <summary>Packages the generated code needs besides the runtime and TorchSharp.</summary>
    public virtual IReadOnlyList<PackageRequirement> Packages => [];

    /// <summary>The kind's own options.</summary>
    public abstract IReadOnlyList<Option> Options { get; }

    /// <summary>The template variables (C# literals for the constructor defaults) from the parsed options.</summary>
    public abstract Dictionary<string, object?> Variables(ParseResult parse);

    /// <summary>
    /// Looks at the data the options name, where it exists already (paths relative to <paramref name="projectDirectory"/>,
    /// where <c>dotnet run</c> runs): refuses options that do not fit it, and returns what it found, one line;
    /// <see langword="null"/> when there is nothing to look at.
    /// </summary>
    public virtual string? Inspect(ParseResult parse, string projectDirectory) => null;

    /// <summary>Checks option values together (e.g. that the fractions leave training data); throws a usage error.</summary>
    protected static void EnsureTrainingRemains(double val, double test)
    {
        if (val + test >= 1) throw ToolException.Usage($"--val-fraction ({val}) and --test-fraction ({test}) together must stay below 1, so some examples are left to train on.");
    }
}
