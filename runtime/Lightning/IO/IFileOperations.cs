namespace Lightning.IO;

/// <summary>
/// The file operations that fail on Windows while another program holds the file open (an editor, a spreadsheet, a
/// virus scanner): replacing, deleting and appending to it. <see cref="FileOperations"/> retries them; a test puts
/// in operations that fail.
/// </summary>
internal interface IFileOperations
{
    /// <summary>Moves <paramref name="source"/> onto <paramref name="destination"/>, replacing it.</summary>
    void Replace(string source, string destination);

    /// <summary>Deletes <paramref name="path"/>; nothing happens when it does not exist.</summary>
    void Delete(string path);

    /// <summary>Appends <paramref name="text"/> (UTF-8) to <paramref name="path"/>.</summary>
    void Append(string path, string text);

    /// <summary>Waits <paramref name="delay"/> before the next try.</summary>
    void Wait(TimeSpan delay);
}
