namespace Lightning;

/// <summary>
/// Lightning's <c>logger</c> argument: <see langword="true"/> for the default logger (a <see cref="CsvLogger"/>
/// under <c>DefaultRootDir/lightning_logs</c>), <see langword="false"/> for none, one logger, or several.
/// </summary>
public sealed class LoggerSelection
{
    private LoggerSelection(bool useDefault, IReadOnlyList<Logger> loggers)
    {
        UseDefault = useDefault;
        Loggers = loggers;
    }

    /// <summary>Whether the trainer creates its default logger.</summary>
    public bool UseDefault { get; }

    /// <summary>The loggers given explicitly.</summary>
    public IReadOnlyList<Logger> Loggers { get; }

    /// <summary>The default logger (<see langword="true"/>) or none (<see langword="false"/>).</summary>
    public static implicit operator LoggerSelection(bool enabled) => new(enabled, []);

    /// <summary>One logger.</summary>
    public static implicit operator LoggerSelection(Logger logger) => new(false, [logger]);

    /// <summary>Several loggers.</summary>
    public static implicit operator LoggerSelection(Logger[] loggers) => new(false, loggers);

    /// <summary>Several loggers.</summary>
    public static implicit operator LoggerSelection(List<Logger> loggers) => new(false, loggers.ToArray());
}
