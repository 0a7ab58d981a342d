using Lightning.Tool.Tests.Support;

namespace Lightning.Tool.Tests;

/// <summary>
/// <c>add-dataset csv</c>'s options: any delimiter Sep reads, features as a constant default, and the file looked
/// at where it exists. The generated code for each option is built and run by the end-to-end tests.
/// </summary>
[TestClass]
public sealed class CsvOptionTests
{
    [TestMethod]
    [DataRow(";", "string delimiter = \";\"")]
    [DataRow(",", "string delimiter = \",\"")]
    [DataRow("|", "string delimiter = \"|\"")]
    [DataRow("tab", "string delimiter = \"tab\"")]
    public void AnySingleCharacterOrTabIsADelimiterTheDataModuleTakesAsAParameter(string delimiter, string parameter)
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        var run = project.Run("add-dataset", "csv", "--delimiter", delimiter);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(project.Text("CsvDataModule.cs"), parameter);
    }

    [TestMethod]
    [DataRow("#")]
    [DataRow("\"")]
    [DataRow("ab")]
    [DataRow("é")]
    public void ADelimiterSepCannotSplitOnIsAUsageError(string delimiter)
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        BadInputTests.AssertFails(project, 2, $"--delimiter '{delimiter}' cannot separate cells", "add-dataset", "csv", "--delimiter", delimiter);
    }

    [TestMethod]
    public void FeaturesAreAConstantDefault()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        var run = project.Run("add-dataset", "csv", "--features", "a, b,3");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(project.Text("CsvDataModule.cs"), "string? features = \"a,b,3\"");
    }

    [TestMethod]
    public void AGivenFileIsReadAndDescribed()
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        project.Write("data/pets.csv", "weight,\"name, given\",kind\n4.5,\"Rex, Jr\",dog\n3.1,Tom,cat\n,Kit,cat\n");
        var run = project.Run("add-dataset", "csv", "--path", "data/pets.csv", "--features", "weight", "--missing", "skip");
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "Read data/pets.csv: 3 rows, 1 with missing values (skipped), 3 columns; 1 features (weight); label kind: 2 classes (cat, dog).");
    }

    [TestMethod]
    [DataRow("--label", "species", "--label: data/pets.csv has no column 'species'. Its columns: weight, age, kind")]
    [DataRow("--features", "weight,size", "--features: data/pets.csv has no column 'size'.")]
    [DataRow("--features", "weight,kind", "--features names the label column kind of data/pets.csv")]
    [DataRow("--delimiter", ";", "data/pets.csv leaves no feature column: it splits into 1 column (weight,age,kind), all taken by the label. Is --delimiter ';' right?")]
    [DataRow("--header", "no", "data/pets.csv, row 1, column column0: 'weight' is not a number, and features must be. If the first row names the columns, pass --header yes.")]
    [DataRow("--missing", "error", "has 1 rows with a missing value")]
    public void OptionsThatDoNotFitTheGivenFileAreRefused(string option, string value, string message)
    {
        using var project = new ScratchProject();
        project.Write("Classifier.cs", Modules.Basic);
        project.Write("data/pets.csv", "weight,age,kind\n4.5,3,dog\n3.1,5,cat\n,2,cat\n");
        BadInputTests.AssertFails(project, 2, message, "add-dataset", "csv", "--path", "data/pets.csv", option, value);
    }
}
