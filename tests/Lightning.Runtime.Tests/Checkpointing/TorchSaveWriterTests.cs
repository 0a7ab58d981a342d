using System.IO.Compression;
using Lightning.Checkpointing;
using Lightning.Tests.Support;
using static TorchSharp.torch;

namespace Lightning.Tests;

/// <summary>The torch.save writer: entries stored as PyTorch stores them, and every value kind read back alike here and in Python.</summary>
[TestClass]
public sealed class TorchSaveWriterTests
{
    private static Dictionary<string, object?> Values() => new(StringComparer.Ordinal)
    {
        ["small"] = -7L,
        ["large"] = 5_000_000_000L,
        ["most negative"] = long.MinValue,
        ["real"] = 0.1,
        ["flags"] = new List<object?> { true, false, null },
        ["text"] = "naïve ✓",
        ["empty"] = new Dictionary<string, object?>(),
        ["nested"] = new Dictionary<string, object?> { ["list"] = new List<object?>(), ["weights"] = arange(6, dtype: float32).reshape(2, 3) },
        ["half"] = tensor(new[] { 1.5f, -2f }).to(bfloat16),
        ["scalar"] = tensor(3L),
    };

    [TestMethod]
    public void EntriesAreStoredUncompressedAndTheValuesComeBackAsWritten()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(TempDir.Create(), "values.pt");
        TorchSaveFile.Write(path, Values());

        using (var zip = ZipFile.OpenRead(path))
        {
            CollectionAssert.IsSubsetOf(new[] { "archive/data.pkl", "archive/version", "archive/data/0" }, zip.Entries.Select(e => e.FullName).ToList());
            foreach (var entry in zip.Entries) Assert.AreEqual(entry.Length, entry.CompressedLength, $"{entry.FullName} is compressed");
        }

        var read = TorchSaveFile.Read(path, "torch.save file");
        Assert.AreEqual(-7L, read["small"]);
        Assert.AreEqual(5_000_000_000L, read["large"]);
        Assert.AreEqual(long.MinValue, read["most negative"]);
        Assert.AreEqual(0.1, read["real"]);
        CollectionAssert.AreEqual(new object?[] { true, false, null }, ((System.Collections.IEnumerable)read["flags"]!).Cast<object?>().ToList());
        Assert.AreEqual("naïve ✓", read["text"]);
        var nested = (System.Collections.IDictionary)read["nested"]!;
        Assert.IsTrue(((Tensor)nested["weights"]!).equal(arange(6, dtype: float32).reshape(2, 3)).all().item<bool>());
        var half = (Tensor)read["half"]!;
        Assert.AreEqual(ScalarType.BFloat16, half.dtype);
        Assert.IsTrue(half.equal(tensor(new[] { 1.5f, -2f }).to(bfloat16)).all().item<bool>());
        Assert.AreEqual(0, ((Tensor)read["scalar"]!).dim());
    }

    [TestMethod]
    public void PythonReadsEveryValueKind()
    {
        var python = Python.WithTorch;
        using var scope = NewDisposeScope();
        var path = Path.Combine(TempDir.Create(), "values.pt");
        TorchSaveFile.Write(path, Values());
        const string script = """
            import sys, torch
            v = torch.load(sys.argv[1])
            assert v["small"] == -7 and v["large"] == 5_000_000_000 and v["most negative"] == -2**63, v
            assert v["real"] == 0.1 and v["flags"] == [True, False, None] and v["text"] == "naïve ✓", v
            assert v["empty"] == {} and v["nested"]["list"] == [], v
            assert torch.equal(v["nested"]["weights"], torch.arange(6, dtype=torch.float32).reshape(2, 3))
            assert v["half"].dtype == torch.bfloat16 and v["half"].tolist() == [1.5, -2.0]
            assert v["scalar"].dim() == 0 and v["scalar"].item() == 3
            print("ok")
            """;
        Assert.AreEqual("ok", Python.Run(python, script, path).Trim());
    }
}
