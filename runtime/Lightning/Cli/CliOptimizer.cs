using System.Reflection;
using Lightning.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Cli;

/// <summary>
/// The optimizer chosen with <c>--optimizer</c> (LightningCLI's <c>class_path</c>/<c>init_args</c> form): a class name and
/// its constructor arguments as text. Known classes are the runtime's multi-tensor optimizers (<c>Adam</c>, <c>AdamW</c>,
/// <c>SGD</c>, also as <c>Lightning.Optimizers.X</c>) and TorchSharp's (<c>torch.optim.X</c>, or the short name of one
/// the runtime does not have, such as <c>RMSprop</c>). When given, it replaces what <c>ConfigureOptimizers</c> returns.
/// </summary>
internal sealed class CliOptimizer
{
    /// <summary>The section name in config files and the option's name.</summary>
    public const string Section = "optimizer";

    private static readonly Dictionary<string, MethodBase> Known = KnownClasses();

    /// <summary>The class as given (<c>AdamW</c>), or null when none was chosen.</summary>
    public string? ClassPath { get; private set; }

    /// <summary>The constructor arguments as given, in order, by the name they were given under.</summary>
    public Dictionary<string, string?> InitArgs { get; } = new(StringComparer.Ordinal);

    /// <summary>Sets the class; the arguments given so far stay (Lightning keeps them when the class is named after them).</summary>
    public void SetClass(string classPath, string source)
    {
        Find(classPath, source);
        ClassPath = classPath;
    }

    /// <summary>Sets one constructor argument by its name in any case style (<c>weight-decay</c>, <c>weight_decay</c>, <c>weightDecay</c>).</summary>
    public void SetArgument(string name, string? value) => InitArgs[CliNames.Kebab(name)] = value;

    /// <summary>
    /// Takes <c>--optimizer X</c> and <c>--optimizer.name value</c> (or <c>=value</c>) out of <paramref name="args"/>: their
    /// names depend on the class, so the parser cannot know them in advance.
    /// </summary>
    /// <returns>The other arguments, and the optimizer's in order (an empty name for the class).</returns>
    public static (string[] Others, List<(string Name, string? Value)> Given) Extract(IReadOnlyList<string> args)
    {
        var rest = new List<string>();
        var given = new List<(string, string?)>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var prefix = "--" + Section;
            if (!arg.StartsWith(prefix, StringComparison.Ordinal) || arg.Length > prefix.Length && arg[prefix.Length] is not ('.' or '='))
            {
                rest.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? arg : arg[..equals])[prefix.Length..].TrimStart('.');
            string? value;
            if (equals >= 0) value = arg[(equals + 1)..];
            else if (i + 1 < args.Count) value = args[++i];
            else throw new CliException($"{arg} needs a value.");
            given.Add((name, value));
        }
        return ([.. rest], given);
    }

    /// <summary>Applies what <see cref="Extract"/> took from the command line.</summary>
    public void Apply(IEnumerable<(string Name, string? Value)> given)
    {
        foreach (var (name, value) in given)
        {
            if (name.Length == 0) SetClass(value ?? "", "--optimizer");
            else SetArgument(name, value);
        }
    }

    /// <summary>Checks the class and the arguments, naming what is unknown or invalid.</summary>
    /// <exception cref="CliException">An argument without a class, an unknown argument or a value that does not parse.</exception>
    public void Check()
    {
        if (ClassPath is null)
        {
            if (InitArgs.Count > 0)
                throw new CliException($"--optimizer.{InitArgs.Keys.First()}: give the optimizer's class first, for example --optimizer AdamW. Known: {KnownNames()}.");
            return;
        }
        Bind(Find(ClassPath, "--optimizer"));
    }

    /// <summary>The optimizer over <paramref name="parameters"/>, or null when none was chosen.</summary>
    public Optimizer? Create(IEnumerable<Parameter> parameters)
    {
        if (ClassPath is null) return null;
        var method = Find(ClassPath, "--optimizer");
        var arguments = Bind(method);
        arguments[0] = parameters;
        return (Optimizer)(method is ConstructorInfo constructor ? constructor.Invoke(arguments) : method.Invoke(null, arguments)!);
    }

    /// <summary>Writes the choice as <c>--config</c> reads it back, under an <c>optimizer:</c> key.</summary>
    public void WriteYaml(TextWriter output, Func<string?, string> scalar)
    {
        if (ClassPath is null) return;
        output.WriteLine($"{Section}:");
        output.WriteLine($"  class_path: {scalar(ClassPath)}");
        if (InitArgs.Count == 0) return;
        output.WriteLine("  init_args:");
        foreach (var (name, value) in InitArgs) output.WriteLine($"    {name.Replace('-', '_')}: {scalar(value)}");
    }

    private object?[] Bind(MethodBase method)
    {
        var parameters = method.GetParameters();
        var values = parameters.Select(p => p.HasDefaultValue ? p.DefaultValue : null).ToArray();
        var given = new HashSet<int>();
        foreach (var (name, text) in InitArgs)
        {
            var index = Array.FindIndex(parameters, 1, p => CliNames.Normalize(p.Name!) == CliNames.Normalize(name));
            var names = parameters.Skip(1).Where(p => CliValue.IsSupported(p.ParameterType)).Select(p => CliNames.Kebab(p.Name!)).ToList();
            if (index < 0 || !CliValue.IsSupported(parameters[index].ParameterType))
            {
                var best = names.MinBy(n => Spelling.Distance(CliNames.Normalize(n), CliNames.Normalize(name)));
                throw new CliException($"--optimizer.{name}: {ClassPath} has no such argument{(best is null ? "" : $"; did you mean --optimizer.{best}?")} Its arguments: {string.Join(", ", names)}.");
            }
            var parameter = parameters[index];
            try
            {
                values[index] = CliValue.Parse(text, parameter.ParameterType, !parameter.ParameterType.IsValueType || Nullable.GetUnderlyingType(parameter.ParameterType) is not null);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw new CliException($"--optimizer.{name}: {e.Message} Expected {CliValue.Describe(parameter.ParameterType)}.");
            }
            given.Add(index);
        }
        var missing = parameters.Skip(1).Where((p, i) => !p.HasDefaultValue && !given.Contains(i + 1)).Select(p => "--optimizer." + CliNames.Kebab(p.Name!)).ToList();
        if (missing.Count > 0) throw new CliException($"--optimizer {ClassPath} needs {string.Join(", ", missing)}.");
        return values;
    }

    private static MethodBase Find(string classPath, string source)
    {
        if (Known.TryGetValue(CliNames.Normalize(classPath), out var method)) return method;
        var best = Names().MinBy(n => Spelling.Distance(CliNames.Normalize(n), CliNames.Normalize(classPath)));
        throw new CliException($"{source}: '{classPath}' is not a known optimizer; did you mean {best}? Known: {KnownNames()}.");
    }

    private static string KnownNames() => "Adam, AdamW, SGD (Lightning.Optimizers), and torch.optim's " +
        string.Join(", ", TorchOptimizers().Select(m => m.Name).Distinct().Order(StringComparer.Ordinal));

    private static IEnumerable<string> Names() => TorchOptimizers().Select(m => m.Name).Distinct();

    // Each optimizer is built over a plain sequence of parameters: its constructor or factory that takes one first.
    private static Dictionary<string, MethodBase> KnownClasses()
    {
        var known = new Dictionary<string, MethodBase>(StringComparer.Ordinal);
        foreach (var method in TorchOptimizers())
        {
            known.TryAdd(CliNames.Normalize("torch.optim." + method.Name), method);
            known.TryAdd(CliNames.Normalize(method.Name), method);
        }
        foreach (var type in new[] { typeof(Optimizers.Adam), typeof(Optimizers.AdamW), typeof(Optimizers.SGD) })
        {
            var constructor = type.GetConstructors().Single(c => TakesParameters(c));
            known[CliNames.Normalize(type.Name)] = constructor;
            known[CliNames.Normalize(type.FullName!)] = constructor;
        }
        return known;
    }

    private static IEnumerable<MethodInfo> TorchOptimizers() =>
        typeof(optim).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => typeof(Optimizer).IsAssignableFrom(m.ReturnType) && TakesParameters(m));

    private static bool TakesParameters(MethodBase method) =>
        method.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(IEnumerable<Parameter>);
}
