namespace Lightning.Tests.Cli;

/// <summary>An enum constructor parameter, to check the CLI's choice handling.</summary>
internal enum Activation
{
    Relu,
    Tanh,
}
