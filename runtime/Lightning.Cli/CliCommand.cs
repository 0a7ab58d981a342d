namespace Lightning.Cli;

/// <summary>What the CLI was asked to do.</summary>
internal enum CliCommand
{
    /// <summary>No sub-command: fit, then test when the module has a <c>TestStep</c>.</summary>
    FitAndTest,
    /// <summary><c>fit</c>: <c>Trainer.Fit</c>.</summary>
    Fit,
    /// <summary><c>validate</c>: <c>Trainer.Validate</c>.</summary>
    Validate,
    /// <summary><c>test</c>: <c>Trainer.Test</c>.</summary>
    Test,
    /// <summary><c>predict</c>: <c>Trainer.Predict</c>.</summary>
    Predict,
}
