using System.Text;

namespace Cinnabar.Observability;

/// <summary>
/// The ASCII graph of LATENCY GRAPH, drawn as Redis's sparkline.c draws it in its filled mode: each sample is a
/// column of <c>rows</c> lines whose height has rows × 3 steps ("_", "o", "#" for the top of a column, "|"
/// below it), scaled between the sequence's min and max; then an empty line and each sample's label written
/// downwards under its column. Long sequences wrap every <c>columns</c> samples, with a blank line between parts.
/// </summary>
public sealed class Sparkline
{
    private const string Fill = "_o#";
    private readonly List<(double Value, string Label)> _samples = [];
    private double _min, _max;

    public void Add(double value, string label)
    {
        if (_samples.Count == 0) _min = _max = value;
        else if (value < _min) _min = value;
        else if (value > _max) _max = value;
        _samples.Add((value, label));
    }

    public void Render(StringBuilder output, int columns, int rows)
    {
        for (int start = 0; start < _samples.Count; start += columns)
        {
            if (start != 0) output.Append('\n');
            RenderRange(output, rows, start, Math.Min(columns, _samples.Count - start));
        }
    }

    private void RenderRange(StringBuilder output, int rows, int offset, int length)
    {
        double range = _max - _min;
        if (range == 0) range = 1;
        int steps = Fill.Length * rows;
        var line = new char[length];
        for (int row = 0; ; row++)
        {
            bool any = false;
            Array.Fill(line, ' ');
            if (row < rows)
            {
                any = length > 0;
                for (int j = 0; j < length; j++)
                {
                    // As sparkline.c: the scaled value is truncated to an int before the division by the range.
                    int step = (int)((int)((_samples[offset + j].Value - _min) * steps) / range);
                    step = Math.Clamp(step, 0, steps - 1);
                    int index = step - (rows - row - 1) * Fill.Length;
                    if (index >= Fill.Length) line[j] = '|';
                    else if (index >= 0) line[j] = Fill[index];
                }
            }
            else if (row == rows)
            {
                any = _samples.Exists(s => s.Label.Length > 0); // the empty line between the graph and the labels
            }
            else
            {
                int at = row - rows - 1;
                for (int j = 0; j < length; j++)
                {
                    string label = _samples[offset + j].Label;
                    if (at >= label.Length) continue;
                    line[j] = label[at];
                    any = true;
                }
            }
            if (!any) return;
            output.Append(line).Append('\n');
        }
    }
}
