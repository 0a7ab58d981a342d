using System.ComponentModel;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Lightning.Cli;

/// <summary>
/// The module or the data module as the CLI sees it: the parameters it is built from (the widest public
/// constructor, as <c>SaveHyperparameters</c> reads it, or a factory delegate) and how to build it.
/// </summary>
internal sealed class CliComponent
{
    private readonly Func<object?[], object> _create;
    private readonly ParameterInfo[] _parameters;

    private CliComponent(string section, Type type, ParameterInfo[] parameters, Func<object?[], object> create)
    {
        Type = type;
        _parameters = parameters;
        _create = create;
        var nullability = new NullabilityInfoContext();
        var settings = new List<CliSetting>();
        foreach (var parameter in parameters)
        {
            if (!CliValue.IsSupported(parameter.ParameterType))
            {
                if (parameter.HasDefaultValue) continue;
                throw new InvalidOperationException(
                    $"LightningCli cannot set parameter '{parameter.Name}' of {type.Name} ({parameter.ParameterType.Name}) from the command line. " +
                    "Give it a default value, or pass LightningCli a factory whose parameters are numbers, strings, booleans, enums or arrays of them.");
            }
            var allowsNull = nullability.Create(parameter).WriteState != NullabilityState.NotNull;
            var help = parameter.GetCustomAttribute<DescriptionAttribute>()?.Description ?? $"{type.Name} parameter {parameter.Name}.";
            settings.Add(new CliSetting(section, CliNames.Kebab(parameter.Name!), parameter.ParameterType, allowsNull,
                parameter.HasDefaultValue ? parameter.DefaultValue : null, help, Required: !parameter.HasDefaultValue, CodeName: parameter.Name));
        }
        Settings = settings;
    }

    /// <summary>The type of what is built.</summary>
    public Type Type { get; }

    /// <summary>The parameters that can be set from the command line and config files.</summary>
    public IReadOnlyList<CliSetting> Settings { get; }

    /// <summary>Uses the public constructor with the most parameters of <paramref name="type"/>.</summary>
    public static CliComponent FromType(Type type, string section)
    {
        if (type.IsAbstract)
            throw new ArgumentException($"{type.Name} is abstract; LightningCli needs a class it can construct.", nameof(type));
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new ArgumentException($"{type.Name} has no public constructor for LightningCli to call; add one, or pass a factory.", nameof(type));
        return new CliComponent(section, type, constructor.GetParameters(), constructor.Invoke);
    }

    /// <summary>Uses a factory delegate; its parameters become the options.</summary>
    public static CliComponent FromFactory(Delegate factory, string section)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var invoke = factory.GetType().GetMethod("Invoke")!;
        return new CliComponent(section, invoke.ReturnType, factory.Method.GetParameters(), args => factory.DynamicInvoke(args)
            ?? throw new InvalidOperationException($"The {section} factory returned null."));
    }

    /// <summary>
    /// Builds the component with the resolved values. An <see cref="ArgumentException"/> becomes a <see cref="CliException"/>
    /// in terms of the options; anything else the constructor throws propagates as thrown.
    /// </summary>
    public object Create(IReadOnlyDictionary<CliSetting, object?> values)
    {
        var arguments = _parameters.Select(p =>
            Settings.FirstOrDefault(s => s.Name == CliNames.Kebab(p.Name!)) is { } setting ? values[setting] : p.DefaultValue).ToArray();
        try
        {
            return _create(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException argument)
        {
            var message = CliMessages.InParameterTerms(argument.Message, Settings);
            var setting = Settings.FirstOrDefault(s => argument.ParamName is { } name && s.Name == CliNames.Kebab(name));
            throw new CliException(setting is null || message.Contains(setting.OptionName, StringComparison.Ordinal) ? message : $"{setting.OptionName}: {message}");
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
