namespace Lightning.Templates.Tests.Support;

/// <summary>
/// The generated projects several tests share. A project referencing TorchSharp-cpu copies about 1 GB of
/// LibTorch when built, so each such variant is built once; variants that need no run use --backend none.
/// </summary>
internal static class Projects
{
    private static readonly Lazy<GeneratedProject> LightningDefault = new(() =>
        GeneratedProject.Create("lightning", "MyModel").Build());

    private static readonly Lazy<GeneratedProject> LightningWithoutBackend = new(() =>
    {
        var project = GeneratedProject.Create("lightning", "Acme.Vision", "--backend", "none", "--framework", "net10.0");
        Dotnet.New(project.Directory, "lightning-module", "-n", "Encoder").ShouldSucceed();
        Dotnet.New(project.Directory, "lightning-datamodule", "-n", "ImageData").ShouldSucceed();
        Dotnet.New(project.Directory, "lightning-callback", "-n", "PrintMetrics").ShouldSucceed();
        return project.Build();
    });

    private static readonly Lazy<GeneratedProject> DigitsClassifier = new(() =>
        GeneratedProject.Create("lightning-classifier", "Digits", "--skip-restore").Build());

    private static readonly Lazy<GeneratedProject> CsvClassifier = new(() =>
        GeneratedProject.Create("lightning-classifier", "Flowers", "--data", "csv", "--hidden-size", "32", "--max-epochs", "40",
            "--learning-rate", "0.005", "--backend", "cpu", "--skip-restore").Build());

    /// <summary><c>dotnet new lightning -n MyModel</c> with every default (restored by the post-action), built.</summary>
    public static GeneratedProject Lightning => LightningDefault.Value;

    /// <summary>
    /// <c>dotnet new lightning -n Acme.Vision --backend none</c> (no LibTorch to copy, so it only builds; restored, so
    /// the item templates can read its root namespace), with
    /// <c>lightning-module -n Encoder</c>, <c>lightning-datamodule -n ImageData</c> and <c>lightning-callback -n PrintMetrics</c> added, built.
    /// </summary>
    public static GeneratedProject LightningWithItems => LightningWithoutBackend.Value;

    /// <summary><c>dotnet new lightning-classifier -n Digits</c> with every default, built.</summary>
    public static GeneratedProject Digits => DigitsClassifier.Value;

    /// <summary>The CSV classifier with every classifier parameter set, built.</summary>
    public static GeneratedProject Csv => CsvClassifier.Value;
}
