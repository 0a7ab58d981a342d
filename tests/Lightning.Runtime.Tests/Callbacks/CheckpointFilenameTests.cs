namespace Lightning.Tests;

/// <summary>Lightning's file-name templates, with Python's format specifications (the examples of its docs).</summary>
[TestClass]
public sealed class CheckpointFilenameTests
{
    private static string Name(string? filename, Dictionary<string, double> metrics, bool autoInsert = true) =>
        Path.GetFileName(new ModelCheckpoint(dirpath: "/tmp", filename: filename, autoInsertMetricName: autoInsert).FormatCheckpointName(metrics));

    [TestMethod]
    public void LightningsDocumentedExamples()
    {
        Assert.AreEqual("epoch=0.ckpt", Name("{epoch}", new() { ["epoch"] = 0 }));
        Assert.AreEqual("epoch=005.ckpt", Name("{epoch:03d}", new() { ["epoch"] = 5 }));
        Assert.AreEqual("epoch=2-val_loss=0.12.ckpt", Name("{epoch}-{val_loss:.2f}", new() { ["epoch"] = 2, ["val_loss"] = 0.123456 }));
        Assert.AreEqual("epoch=2-validation_loss=0.12.ckpt",
            Name("epoch={epoch}-validation_loss={val_loss:.2f}", new() { ["epoch"] = 2, ["val_loss"] = 0.123456 }, autoInsert: false));
        Assert.AreEqual("missing=0.ckpt", Name("{missing:d}", []));
        Assert.AreEqual("step=0.ckpt", Name("{step}", new() { ["step"] = 0 }));
        Assert.AreEqual("epoch=3-step=30.ckpt", Name(null, new() { ["epoch"] = 3, ["step"] = 30 }));
    }

    [TestMethod]
    public void PythonFormatSpecifications()
    {
        Assert.AreEqual("loss=0.1.ckpt", Name("{loss}", new() { ["loss"] = 0.1 }), "no spec: Python's str() of the number");
        Assert.AreEqual("loss=1.234500e-03.ckpt", Name("{loss:e}", new() { ["loss"] = 0.0012345 }));
        Assert.AreEqual("loss=1.23E-03.ckpt", Name("{loss:.2E}", new() { ["loss"] = 0.0012345 }));
        Assert.AreEqual("acc=+0.9000.ckpt", Name("{acc:+.4f}", new() { ["acc"] = 0.9 }));
        Assert.AreEqual("acc=90.0%.ckpt", Name("{acc:.1%}", new() { ["acc"] = 0.9 }));
        Assert.AreEqual("loss=0.00123.ckpt", Name("{loss:.3g}", new() { ["loss"] = 0.0012345 }));
        Assert.AreEqual("loss=nan.ckpt", Name("{loss:.2f}", new() { ["loss"] = double.NaN }));
        Assert.AreEqual("epoch=  7.ckpt", Name("{epoch:3d}", new() { ["epoch"] = 7 }));
    }

    [TestMethod]
    public void AnIntegerSpecOnADecimalMetricIsAnError()
    {
        var error = Assert.ThrowsExactly<FormatException>(() => Name("{val_loss:d}", new() { ["val_loss"] = 0.5 }));
        StringAssert.Contains(error.Message, "{val_loss:d}");
    }
}
