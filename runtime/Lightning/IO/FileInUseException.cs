namespace Lightning.IO;

/// <summary>
/// A file could not be replaced, deleted or written because another program kept it open (on Windows) for as long as
/// <see cref="FileOperations"/> retried. The message names the file and what to close.
/// </summary>
public sealed class FileInUseException : IOException
{
    /// <summary>Creates the exception with the explanation the user sees and the last failure.</summary>
    public FileInUseException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
