namespace Lightning.Cli;

/// <summary>Bad command-line or config-file input; the message names the option and what it accepts.</summary>
internal sealed class CliException(string message) : Exception(message);
