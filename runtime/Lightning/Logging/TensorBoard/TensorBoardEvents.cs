using System.Globalization;

namespace Lightning.Logging.TensorBoard;

/// <summary>
/// The serialized TensorBoard <c>Event</c>s this runtime writes: the file version, scalars, and the hparams
/// plugin's three summaries (experiment, session start, session end) as PyTorch's <c>hparams()</c> builds them
/// for Lightning's <c>TensorBoardLogger.log_hyperparams</c>.
/// </summary>
internal static class TensorBoardEvents
{
    // Field numbers of tensorboard/compat/proto/event.proto, summary.proto and plugins/hparams/{api,plugin_data}.proto.
    private const int EventWallTime = 1, EventStep = 2, EventFileVersion = 3, EventSummary = 5;
    private const int SummaryValue = 1, ValueTag = 1, ValueSimpleValue = 2, ValueMetadata = 9;
    private const int MetadataPluginData = 1, PluginName = 1, PluginContent = 2;
    private const int HParamsVersion = 1, HParamsExperiment = 2, HParamsSessionStart = 3, HParamsSessionEnd = 4;
    private const int ExperimentTimeCreated = 3, ExperimentHParamInfos = 4, ExperimentMetricInfos = 5;
    private const int HParamInfoName = 1, HParamInfoType = 4, MetricInfoName = 1, MetricNameTag = 2;
    private const int SessionStartHParams = 1, SessionStartTime = 5, SessionEndStatus = 1;
    private const int MapKey = 1, MapValue = 2, ValueNumber = 2, ValueString = 3, ValueBool = 4;
    private const int DataTypeString = 1, DataTypeBool = 2, DataTypeFloat64 = 3, StatusSuccess = 1;

    /// <summary>The tags TensorBoard's hparams plugin looks for.</summary>
    public const string ExperimentTag = "_hparams_/experiment", SessionStartTag = "_hparams_/session_start_info", SessionEndTag = "_hparams_/session_end_info";

    /// <summary>The first record of every event file.</summary>
    public static byte[] FileVersion(double wallTime) =>
        new ProtoMessage().Double(EventWallTime, wallTime).String(EventFileVersion, "brain.Event:2").ToArray();

    /// <summary>Scalars at one step, each a <c>simple_value</c> as PyTorch's <c>add_scalar</c> writes them.</summary>
    public static byte[] Scalars(double wallTime, long step, IEnumerable<KeyValuePair<string, double>> scalars)
    {
        var summary = new ProtoMessage();
        foreach (var (tag, value) in scalars)
            summary.Message(SummaryValue, new ProtoMessage().String(ValueTag, tag).Float(ValueSimpleValue, (float)value));
        return Event(wallTime, step, summary);
    }

    /// <summary>
    /// The hparams plugin's experiment, session-start and session-end events, which make the run a row of
    /// TensorBoard's HParams tab with these hyperparameters and metrics as columns. Numbers are <c>FLOAT64</c>,
    /// booleans <c>BOOL</c>, anything else its text as a <c>STRING</c>; null values are left out.
    /// </summary>
    public static IEnumerable<byte[]> HParams(double wallTime, IReadOnlyDictionary<string, object?> hyperparameters, IEnumerable<string> metricTags)
    {
        var experiment = new ProtoMessage().Double(ExperimentTimeCreated, wallTime);
        var sessionStart = new ProtoMessage().Double(SessionStartTime, wallTime);
        foreach (var (name, raw) in hyperparameters)
        {
            if (raw is null) continue;
            var (type, value) = raw switch
            {
                bool b => (DataTypeBool, new ProtoMessage().Bool(ValueBool, b)),
                sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal =>
                    (DataTypeFloat64, new ProtoMessage().Double(ValueNumber, Convert.ToDouble(raw, CultureInfo.InvariantCulture))),
                _ => (DataTypeString, new ProtoMessage().String(ValueString, Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "")),
            };
            experiment.Message(ExperimentHParamInfos, new ProtoMessage().String(HParamInfoName, name).Int64(HParamInfoType, type));
            sessionStart.Message(SessionStartHParams, new ProtoMessage().String(MapKey, name).Message(MapValue, value));
        }
        foreach (var tag in metricTags)
            experiment.Message(ExperimentMetricInfos, new ProtoMessage().Message(MetricInfoName, new ProtoMessage().String(MetricNameTag, tag)));
        var sessionEnd = new ProtoMessage().Int64(SessionEndStatus, StatusSuccess);
        yield return PluginEvent(wallTime, ExperimentTag, HParamsExperiment, experiment);
        yield return PluginEvent(wallTime, SessionStartTag, HParamsSessionStart, sessionStart);
        yield return PluginEvent(wallTime, SessionEndTag, HParamsSessionEnd, sessionEnd);
    }

    private static byte[] PluginEvent(double wallTime, string tag, int dataField, ProtoMessage data)
    {
        var content = new ProtoMessage().Int64(HParamsVersion, 0).Message(dataField, data);
        var metadata = new ProtoMessage().Message(MetadataPluginData, new ProtoMessage().String(PluginName, "hparams").Bytes(PluginContent, content.ToArray()));
        return Event(wallTime, 0, new ProtoMessage().Message(SummaryValue, new ProtoMessage().String(ValueTag, tag).Message(ValueMetadata, metadata)));
    }

    private static byte[] Event(double wallTime, long step, ProtoMessage summary) =>
        new ProtoMessage().Double(EventWallTime, wallTime).Int64(EventStep, step).Message(EventSummary, summary).ToArray();
}
