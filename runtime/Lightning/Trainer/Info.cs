namespace Lightning;

/// <summary>
/// Tells the user what the trainer did on their behalf (Lightning's <c>rank_zero_info</c>): once, from global rank 0,
/// on standard error, where Lightning's log messages go, so a program's own output on standard output stays clean.
/// </summary>
internal static class Info
{
    public static void Write(Trainer trainer, string message)
    {
        if (trainer.IsGlobalZero) Console.Error.WriteLine(message);
    }
}
