using System.Text.RegularExpressions;

namespace Lightning.Cli;

/// <summary>
/// Turns the messages of exceptions the runtime and the user's classes throw into the one line the CLI prints,
/// in the terms a command-line user typed: <c>--trainer.devices 2</c> rather than <c>Devices = 2</c>.
/// </summary>
internal static partial class CliMessages
{
    /// <summary>The message on one line, without .NET's <c>(Parameter 'x')</c> and <c>Actual value was</c> tails.</summary>
    public static string OneLine(string message)
    {
        var text = ParameterTail().Replace(message, "");
        return string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// A message about <see cref="TrainerOptions"/>, with <c>TrainerOptions.Devices</c> and <c>Devices = 2</c> written as
    /// <c>--trainer.devices</c> and <c>--trainer.devices 2</c>.
    /// </summary>
    public static string InTrainerTerms(string message, IEnumerable<CliSetting> trainerSettings)
    {
        var text = OneLine(message);
        foreach (var setting in trainerSettings)
        {
            var property = Regex.Escape(setting.PropertyName);
            text = Regex.Replace(text, $@"(?:\bTrainerOptions\.{property}\b|(?<![\w.]){property} = )",
                m => m.Value.EndsWith(" = ", StringComparison.Ordinal) ? setting.OptionName + " " : setting.OptionName);
        }
        return text;
    }

    /// <summary>A message about constructor parameters, with each parameter's name (<c>hiddenSize</c>) written as its option.</summary>
    public static string InParameterTerms(string message, IEnumerable<CliSetting> parameterSettings)
    {
        var text = OneLine(message);
        foreach (var setting in parameterSettings)
            text = Regex.Replace(text, $@"(?<![\w.-]){Regex.Escape(setting.PropertyName)}(?![\w-])", setting.OptionName);
        return text;
    }

    [GeneratedRegex(@" \(Parameter '[^']*'\)(\r?\nActual value was .*)?", RegexOptions.Singleline)]
    private static partial Regex ParameterTail();
}
