using System.Reflection;
using Lightning.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.optim;

namespace Lightning.Cli;

/// <summary>
/// An object chosen by class in LightningCLI's <c>class_path</c>/<c>init_args</c> form: <c>--optimizer AdamW
/// --optimizer.lr 1e-3</c>, or <c>optimizer: {class_path: AdamW, init_args: {lr: 0.001}}</c> in a config file. It holds the
/// class name and the constructor arguments as text, and builds the object from the constructor or factory the name
/// stands for, whose first parameter (the module's parameters, the optimizer) the CLI supplies.
/// </summary>
internal sealed class CliClassChoice
{
    private readonly Dictionary<string, MethodBase> _known;
    private readonly string _knownNames;
    private readonly IReadOnlySet<string> _extraArguments;
    private readonly int _supplied;
    private readonly bool _firstDefaulted;

    // supplied: how many leading parameters the CLI always supplies; firstDefaulted: the first parameter may be given,
    // and otherwise is what Create receives (a logger's save_dir, the run's root folder).
    private CliClassChoice(string section, string kind, Dictionary<string, MethodBase> known, string knownNames, string help,
        IReadOnlySet<string>? extraArguments = null, int supplied = 1, bool firstDefaulted = false)
    {
        _supplied = supplied;
        _firstDefaulted = firstDefaulted;
        Section = section;
        Kind = kind;
        Help = help;
        _known = known;
        _knownNames = knownNames;
        _extraArguments = extraArguments ?? new HashSet<string>();
    }

    /// <summary>The section name in config files (<c>optimizer</c>, <c>lr_scheduler</c>).</summary>
    public string Section { get; }

    /// <summary>What is chosen, for messages: "optimizer".</summary>
    public string Kind { get; }

    /// <summary>What <c>--help</c> says of the option: what it chooses, how its arguments are given, the known classes.</summary>
    public string Help { get; }

    /// <summary>A known class, for messages that show how to choose one.</summary>
    public string ExampleClass => ClassName(_known.Values.First());

    /// <summary>The option as typed: <c>--lr-scheduler</c>.</summary>
    public string OptionName => "--" + CliNames.Kebab(Section);

    /// <summary>The class as given (<c>AdamW</c>), or null when none was chosen.</summary>
    public string? ClassPath { get; private set; }

    /// <summary>The constructor arguments as given, in order, by their kebab-case name.</summary>
    public Dictionary<string, string?> InitArgs { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The optimizer: the runtime's multi-tensor <c>Adam</c>, <c>AdamW</c> and <c>SGD</c> (also as <c>Lightning.Optimizers.X</c>)
    /// and TorchSharp's (<c>torch.optim.X</c>, or the short name of one the runtime does not have, such as <c>RMSprop</c>).
    /// </summary>
    public static CliClassChoice Optimizer()
    {
        var known = new Dictionary<string, MethodBase>(StringComparer.Ordinal);
        var torch = Factories(typeof(optim), typeof(Optimizer), typeof(IEnumerable<Parameter>));
        foreach (var method in torch)
        {
            known.TryAdd(CliNames.Normalize("torch.optim." + method.Name), method);
            known.TryAdd(CliNames.Normalize(method.Name), method);
        }
        foreach (var type in new[] { typeof(Optimizers.Adam), typeof(Optimizers.AdamW), typeof(Optimizers.SGD) })
        {
            var constructor = type.GetConstructors().Single(c => c.GetParameters()[0].ParameterType == typeof(IEnumerable<Parameter>));
            known[CliNames.Normalize(type.Name)] = constructor;
            known[CliNames.Normalize(type.FullName!)] = constructor;
        }
        var names = "Adam, AdamW, SGD (Lightning.Optimizers), and torch.optim's " + Names(torch);
        return new("optimizer", "optimizer", known, names,
            "The optimizer, by class, over the module's parameters; it replaces what ConfigureOptimizers returns (schedulers included), " +
            $"or serves a module without it. Its constructor arguments: --optimizer.<name> value (--optimizer.lr 1e-3). Known: {names}.");
    }

    /// <summary>
    /// The learning-rate scheduler: TorchSharp's <c>torch.optim.lr_scheduler</c> classes, over the chosen optimizer (or the
    /// module's). <c>monitor</c> is the metric <c>ReduceLROnPlateau</c> watches, Lightning's scheduler <c>monitor</c>.
    /// </summary>
    public static CliClassChoice LrScheduler()
    {
        var known = new Dictionary<string, MethodBase>(StringComparer.Ordinal);
        var torch = Factories(typeof(lr_scheduler), typeof(lr_scheduler.LRScheduler), typeof(Optimizer));
        foreach (var method in torch)
        {
            known.TryAdd(CliNames.Normalize("torch.optim.lr_scheduler." + method.Name), method);
            known.TryAdd(CliNames.Normalize(method.Name), method);
        }
        var names = "torch.optim.lr_scheduler's " + Names(torch);
        return new("lr_scheduler", "learning-rate scheduler", known, names,
            "A learning-rate scheduler over the --optimizer, by class. Its constructor arguments: --lr-scheduler.<name> value " +
            $"(--lr-scheduler.step-size 10); --lr-scheduler.monitor names the logged metric it watches (ReduceLROnPlateau needs one). Known: {names}.",
            new HashSet<string> { "monitor" });
    }

    /// <summary>
    /// A callback of the runtime (<c>EarlyStopping</c>, <c>ModelCheckpoint</c>, ...), by its widest public constructor whose
    /// parameters can all be given as text or have defaults; <c>--trainer.callbacks+=EarlyStopping</c> adds one.
    /// </summary>
    public static CliClassChoice Callback()
    {
        var known = RuntimeClasses(typeof(Callback));
        var names = "the runtime's " + ClassNames(known);
        return new("trainer.callbacks", "callback", known, names,
            "Callbacks by class, added to the run's: --trainer.callbacks+=EarlyStopping adds one (--trainer.callbacks X starts the list again), " +
            $"--trainer.callbacks.<name> value sets an argument of the last one (--trainer.callbacks.monitor val_loss). Known: {names}.", supplied: 0);
    }

    /// <summary>
    /// A logger of the runtime (<c>CsvLogger</c>, <c>TensorBoardLogger</c>, also <c>csv</c> and <c>tensorboard</c>), by its widest
    /// public constructor as for callbacks; its <c>save_dir</c>, unless given, is the run's root folder.
    /// </summary>
    public static CliClassChoice Logger()
    {
        var known = RuntimeClasses(typeof(Logger));
        // The short names --trainer.logger took before it took classes.
        known[CliNames.Normalize("csv")] = known[CliNames.Normalize(nameof(CsvLogger))];
        known[CliNames.Normalize("tensorboard")] = known[CliNames.Normalize(nameof(TensorBoardLogger))];
        var names = $"the runtime's {ClassNames(known)} (csv and tensorboard for short)";
        return new("trainer.logger", "logger", known, names,
            "The loggers: true (the default CSV logger, or the loggers given in code), false (none), or a logger by class " +
            "(--trainer.logger TensorBoardLogger; --trainer.logger+=X adds another); --trainer.logger.<name> value sets an argument of the last one " +
            $"(--trainer.logger.name run1; save-dir defaults to the root folder). Known: {names}.", supplied: 0, firstDefaulted: true);
    }

    /// <summary>Sets the class; the arguments given so far stay.</summary>
    /// <exception cref="CliException">The class is not known.</exception>
    public void SetClass(string classPath, string source)
    {
        Find(classPath, source);
        ClassPath = classPath;
    }

    /// <summary>Sets one constructor argument by its name in any case style (<c>weight-decay</c>, <c>weight_decay</c>, <c>weightDecay</c>).</summary>
    public void SetArgument(string name, string? value) => InitArgs[CliNames.Kebab(name)] = value;

    /// <summary>An argument that is not the constructor's (<c>monitor</c>), or null when not given.</summary>
    public string? Extra(string name) => InitArgs.GetValueOrDefault(name);

    /// <summary>Applies what <see cref="CliClassArguments.Extract"/> took from the command line for this choice.</summary>
    public void Apply(IEnumerable<(string Name, string? Value, bool Append)> given)
    {
        foreach (var (name, value, _) in given)
        {
            if (name.Length == 0) SetClass(value ?? "", OptionName);
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
                throw new CliException($"{OptionName}.{InitArgs.Keys.First()}: give the {Kind}'s class first, for example {OptionName} {ExampleClass}. Known: {_knownNames}.");
            return;
        }
        Bind(Find(ClassPath, OptionName));
    }

    /// <summary>The object over <paramref name="first"/> (the parameters, the optimizer; none for a callback), or null when none was chosen.</summary>
    public object? Create(object? first = null)
    {
        if (ClassPath is null) return null;
        var method = Find(ClassPath, OptionName);
        var arguments = Bind(method);
        if (_supplied > 0 || (_firstDefaulted && arguments[0] is null)) arguments[0] = first;
        try
        {
            return method is ConstructorInfo constructor ? constructor.Invoke(arguments) : method.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException refused)
        {
            throw new CliException($"{OptionName} {ClassPath}: {CliMessages.OneLine(refused.Message)}");
        }
    }

    /// <summary>Writes the choice as <c>--config</c> reads it back, under its key (the section's last part) indented by <paramref name="indent"/>.</summary>
    public void WriteYaml(TextWriter output, Func<string?, string> scalar, string indent = "")
    {
        if (ClassPath is null) return;
        output.WriteLine($"{indent}{Section.Split('.')[^1]}:");
        WriteClassAndArguments(output, scalar, indent + "  ");
    }

    /// <summary>Writes the choice as an item of a YAML list (<c>- class_path: X</c>) indented by <paramref name="indent"/>.</summary>
    public void WriteYamlItem(TextWriter output, Func<string?, string> scalar, string indent)
    {
        output.Write($"{indent}- ");
        WriteClassAndArguments(output, scalar, indent + "  ", first: false);
    }

    private void WriteClassAndArguments(TextWriter output, Func<string?, string> scalar, string indent, bool first = true)
    {
        output.WriteLine($"{(first ? indent : "")}class_path: {scalar(ClassPath)}");
        if (InitArgs.Count == 0) return;
        output.WriteLine($"{indent}{ConfigFile.InitArgs}:");
        foreach (var (name, value) in InitArgs) output.WriteLine($"{indent}  {name.Replace('-', '_')}: {scalar(value)}");
    }

    private object?[] Bind(MethodBase method)
    {
        var parameters = method.GetParameters();
        var values = parameters.Select(p => p.HasDefaultValue ? p.DefaultValue : null).ToArray();
        var given = new HashSet<int>();
        foreach (var (name, text) in InitArgs)
        {
            if (_extraArguments.Contains(name)) continue;
            var index = Array.FindIndex(parameters, _supplied, p => CliNames.Normalize(p.Name!) == CliNames.Normalize(name));
            var names = parameters.Skip(_supplied).Where(p => CliValue.IsSupported(p.ParameterType)).Select(p => CliNames.Kebab(p.Name!)).Concat(_extraArguments).ToList();
            if (index < 0 || !CliValue.IsSupported(parameters[index].ParameterType))
            {
                var best = names.MinBy(n => Spelling.Distance(CliNames.Normalize(n), CliNames.Normalize(name)));
                throw new CliException($"{OptionName}.{name}: {ClassPath} has no such argument{(best is null ? "" : $"; did you mean {OptionName}.{best}?")} Its arguments: {string.Join(", ", names)}.");
            }
            var parameter = parameters[index];
            try
            {
                values[index] = CliValue.Parse(text, parameter.ParameterType, !parameter.ParameterType.IsValueType || Nullable.GetUnderlyingType(parameter.ParameterType) is not null);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw new CliException($"{OptionName}.{name}: {e.Message} Expected {CliValue.Describe(parameter.ParameterType)}.");
            }
            given.Add(index);
        }
        var missing = parameters.Skip(_supplied).Where((p, i) => !p.HasDefaultValue && !given.Contains(i + _supplied) && !(_firstDefaulted && i == 0)).Select(p => $"{OptionName}.{CliNames.Kebab(p.Name!)}").ToList();
        if (missing.Count > 0) throw new CliException($"{OptionName} {ClassPath} needs {string.Join(", ", missing)}.");
        return values;
    }

    private MethodBase Find(string classPath, string source)
    {
        if (_known.TryGetValue(CliNames.Normalize(classPath), out var method)) return method;
        var best = _known.Values.Select(ClassName).Distinct()
            .MinBy(n => Spelling.Distance(CliNames.Normalize(n), CliNames.Normalize(classPath)));
        throw new CliException($"{source}: '{classPath}' is not a known {Kind}; did you mean {best}? Known: {_knownNames}.");
    }

    private static string ClassName(MethodBase method) => method is ConstructorInfo c ? c.DeclaringType!.Name : method.Name;

    // Each class is built by a factory whose first parameter the CLI supplies; of overloads, the first whose other
    // required parameters can all be given as text.
    private static List<MethodInfo> Factories(Type holder, Type returns, Type first) =>
        holder.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => returns.IsAssignableFrom(m.ReturnType) && m.GetParameters() is [{ ParameterType: var p }, ..] && p == first
                && m.GetParameters().Skip(1).All(x => x.HasDefaultValue || CliValue.IsSupported(x.ParameterType)))
            .GroupBy(m => m.Name).Select(g => g.First()).ToList();

    // The runtime's public classes of a kind, each by its widest public constructor whose parameters can all be given as text or have defaults.
    private static Dictionary<string, MethodBase> RuntimeClasses(Type baseType)
    {
        var known = new Dictionary<string, MethodBase>(StringComparer.Ordinal);
        foreach (var type in baseType.Assembly.GetExportedTypes().Where(t => t.IsSubclassOf(baseType) && !t.IsAbstract && !t.IsGenericTypeDefinition))
        {
            var constructor = type.GetConstructors().Where(c => c.GetParameters().All(p => p.HasDefaultValue || CliValue.IsSupported(p.ParameterType)))
                .MaxBy(c => c.GetParameters().Length);
            if (constructor is null) continue;
            known[CliNames.Normalize(type.Name)] = constructor;
            known[CliNames.Normalize(type.FullName!)] = constructor;
        }
        return known;
    }

    private static string ClassNames(Dictionary<string, MethodBase> known) =>
        string.Join(", ", known.Values.Select(c => c.DeclaringType!.Name).Distinct().Order(StringComparer.Ordinal));

    private static string Names(IEnumerable<MethodInfo> methods) => string.Join(", ", methods.Select(m => m.Name).Order(StringComparer.Ordinal));
}
