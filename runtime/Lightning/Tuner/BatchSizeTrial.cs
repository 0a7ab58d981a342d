namespace Lightning;

/// <summary>How a trial fit of <see cref="BatchSizeSearch"/> went.</summary>
internal enum BatchSizeTrial
{
    /// <summary>It ran out of memory (or the caller's <c>failsAt</c> said it would).</summary>
    OutOfMemory,

    /// <summary>It fitted.</summary>
    Fitted,

    /// <summary>It fitted with all the training data in one batch, so a larger size changes nothing (Lightning stops there too).</summary>
    FittedAllData,
}
