namespace Lightning.Tool.Diagnostics;

/// <summary>The lines <c>doctor</c> prints, each marked by how it went, and whether any check failed.</summary>
internal sealed class DoctorReport(TextWriter output)
{
    /// <summary>Whether a check failed.</summary>
    public bool Failed { get; private set; }

    /// <summary>A check that passed.</summary>
    public void Ok(string line) => output.WriteLine("[ ok ] " + line);

    /// <summary>Something to know, neither good nor bad.</summary>
    public void Info(string line) => output.WriteLine("[info] " + line);

    /// <summary>Something that may cause trouble.</summary>
    public void Warn(string line) => output.WriteLine("[warn] " + line);

    /// <summary>A check that failed: training will not work until it is fixed.</summary>
    public void Fail(string line)
    {
        Failed = true;
        output.WriteLine("[FAIL] " + line);
    }
}
