using System.Globalization;
using System.Text;

namespace RlPlat.Engine.IO;

/// <summary>The header dict of a .npy file ({'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }): parse and format.</summary>
internal static class NpyHeader
{
    /// <summary>What a header says: the dtype, whether stored big-endian, Fortran order, and the shape.</summary>
    public readonly record struct Info(DType DType, bool BigEndian, bool FortranOrder, int[] Shape);

    /// <summary>Parses a header dict, rejecting anything malformed or a dtype we cannot hold, with an <see cref="InvalidDataException"/>.</summary>
    public static Info Parse(string text)
    {
        var parser = new LiteralParser(text);
        if (parser.ParseValue() is not Dictionary<string, object?> dict)
            throw new InvalidDataException($"npy: header is not a dict: {Quote(text)}");
        parser.ExpectEnd();
        foreach (string key in dict.Keys)
            if (key is not ("descr" or "fortran_order" or "shape"))
                throw new InvalidDataException($"npy: header has unexpected key '{key}': {Quote(text)}");
        if (!dict.TryGetValue("descr", out object? descr)) throw new InvalidDataException($"npy: header lacks 'descr': {Quote(text)}");
        if (!dict.TryGetValue("fortran_order", out object? fortran) || fortran is not bool fortranOrder)
            throw new InvalidDataException($"npy: header lacks a True/False 'fortran_order': {Quote(text)}");
        if (!dict.TryGetValue("shape", out object? shapeValue) || shapeValue is not List<object?> dims)
            throw new InvalidDataException($"npy: header lacks a tuple 'shape': {Quote(text)}");
        if (descr is not string descrText)
            throw new InvalidDataException($"npy: structured dtype {FormatLiteral(descr)} is not supported (only plain numeric/bool dtypes)");

        var shape = new int[dims.Count];
        long count = 1;
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] is not long d || d < 0 || d > int.MaxValue)
                throw new InvalidDataException($"npy: shape {FormatLiteral(shapeValue)} has an invalid dimension {FormatLiteral(dims[i])}");
            shape[i] = (int)d;
            count *= d;
            if (count > Array.MaxLength)
                throw new InvalidDataException($"npy: shape {FormatLiteral(shapeValue)} has more elements than a .NET array holds");
        }

        var (dtype, bigEndian) = ParseDescr(descrText);
        return new Info(dtype, bigEndian, fortranOrder, shape);
    }

    /// <summary>Maps a dtype string ('&lt;f4', '&gt;i8', '|b1', '|u1') to our dtype and its byte order.</summary>
    public static (DType DType, bool BigEndian) ParseDescr(string descr)
    {
        if (descr.Length < 2)
            throw new InvalidDataException($"npy: dtype '{descr}' is not a NumPy type string");
        char order = descr[0];
        string code = order is '<' or '>' or '|' or '=' ? descr[1..] : descr;
        bool big = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        DType? dtype = code switch
        {
            "f4" => DType.Float32,
            "f8" => DType.Float64,
            "i4" => DType.Int32,
            "i8" => DType.Int64,
            "b1" => DType.Bool,
            "u1" => DType.UInt8,
            _ => null,
        };
        if (dtype is null)
            throw new InvalidDataException($"npy: dtype '{descr}' ({Describe(code)}) is not supported; supported: float32 (f4), float64 (f8), int32 (i4), int64 (i8), bool (b1), uint8 (u1)");
        return (dtype.Value, big && dtype.Value.SizeOf() > 1);
    }

    private static string Describe(string code) => code.Length == 0 ? "empty" : code[0] switch
    {
        'f' => int.TryParse(code.AsSpan(1), CultureInfo.InvariantCulture, out int bytes) ? $"{bytes * 8}-bit float" : "float",
        'i' => "signed integer of another width",
        'u' => "unsigned integer of another width",
        'c' => "complex",
        'U' => "unicode string",
        'S' or 'a' => "byte string",
        'O' => "Python object",
        'M' or 'm' => "datetime/timedelta",
        'V' => "void/record",
        _ => "unknown kind",
    };

    /// <summary>The header dict NumPy writes for this array (numpy's own key order and tuple spelling).</summary>
    public static string Format(DType dtype, IReadOnlyList<int> shape)
    {
        string descr = dtype switch
        {
            DType.Float32 => "<f4", DType.Float64 => "<f8", DType.Int32 => "<i4", DType.Int64 => "<i8",
            DType.Bool => "|b1", DType.UInt8 => "|u1",
            _ => throw new ArgumentException($"npy: cannot write dtype {dtype}"),
        };
        return $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {NpyArray.ShapeText(shape)}, }}";
    }

    private static string Quote(string text) => text.Length <= 120 ? $"\"{text}\"" : $"\"{text[..120]}...\"";

    private static string FormatLiteral(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        bool b => b ? "True" : "False",
        List<object?> list => "(" + string.Join(", ", list.Select(FormatLiteral)) + ")",
        Dictionary<string, object?> dict => "{" + string.Join(", ", dict.Select(kv => $"'{kv.Key}': {FormatLiteral(kv.Value)}")) + "}",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>A parser for the Python literals a header holds: dicts, tuples, lists, strings, ints, True/False/None.</summary>
    private ref struct LiteralParser(string text)
    {
        private int pos;

        public object? ParseValue()
        {
            SkipSpace();
            if (pos >= text.Length) throw Error("unexpected end");
            char ch = text[pos];
            switch (ch)
            {
                case '{':
                {
                    pos++;
                    var dict = new Dictionary<string, object?>();
                    while (true)
                    {
                        SkipSpace();
                        if (Peek() == '}') { pos++; return dict; }
                        if (ParseValue() is not string key) throw Error("dict key is not a string");
                        SkipSpace();
                        Expect(':');
                        if (!dict.TryAdd(key, ParseValue())) throw Error($"duplicate key '{key}'");
                        SkipSpace();
                        if (Peek() == ',') pos++;
                        else if (Peek() != '}') throw Error("expected ',' or '}'");
                    }
                }
                case '(':
                case '[':
                {
                    char close = ch == '(' ? ')' : ']';
                    pos++;
                    var items = new List<object?>();
                    while (true)
                    {
                        SkipSpace();
                        if (Peek() == close) { pos++; return items; }
                        items.Add(ParseValue());
                        SkipSpace();
                        if (Peek() == ',') pos++;
                        else if (Peek() != close) throw Error($"expected ',' or '{close}'");
                    }
                }
                case '\'':
                case '"':
                {
                    int end = text.IndexOf(ch, pos + 1);
                    if (end < 0) throw Error("unterminated string");
                    string s = text[(pos + 1)..end];
                    pos = end + 1;
                    return s;
                }
                default:
                {
                    int start = pos;
                    while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] is '-' or '+' or '_')) pos++;
                    string word = text[start..pos];
                    if (word == "True") return true;
                    if (word == "False") return false;
                    if (word == "None") return null;
                    // Python 2 wrote longs as 3L
                    string digits = word.EndsWith('L') ? word[..^1] : word;
                    if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)) return value;
                    throw Error(word.Length == 0 ? $"unexpected '{ch}'" : $"unexpected '{word}'");
                }
            }
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (pos < text.Length) throw Error("trailing characters after the dict");
        }

        private char Peek() => pos < text.Length ? text[pos] : throw Error("unexpected end");

        private void Expect(char ch)
        {
            if (Peek() != ch) throw Error($"expected '{ch}'");
            pos++;
        }

        private void SkipSpace()
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
        }

        private readonly InvalidDataException Error(string what) =>
            new($"npy: bad header dict at character {pos}: {what}: {Quote(text)}");
    }

    /// <summary>The header text as bytes: ASCII for versions 1 and 2, UTF-8 for version 3.</summary>
    public static Encoding EncodingFor(int major) => major >= 3 ? Encoding.UTF8 : Encoding.Latin1;
}
