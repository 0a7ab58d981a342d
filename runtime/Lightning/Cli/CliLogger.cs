namespace Lightning.Cli;

/// <summary>What <c>--trainer.logger</c> takes: the default logger, none, or one of the runtime's file loggers by name.</summary>
internal enum CliLogger
{
    /// <summary>No logger.</summary>
    False,
    /// <summary>The default logger (a <see cref="CsvLogger"/>), or the loggers given in code.</summary>
    True,
    /// <summary>A <see cref="CsvLogger"/> under the run's root folder.</summary>
    Csv,
    /// <summary>A <see cref="TensorBoardLogger"/> under the run's root folder.</summary>
    Tensorboard,
}
