namespace Lightning;

/// <summary>Tells the user about something that works but is probably not what they meant, on standard error.</summary>
internal static class Warnings
{
    public static void Write(string message) => Console.Error.WriteLine("Warning: " + message);
}
