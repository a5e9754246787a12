// Generated from scenario scripts run against real redis-server 7.0.15 (expected replies are its replies).
namespace Cinnabar.Tests.Integration;

/// <summary>APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE, INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT.</summary>
public class StringRangeAndCounterTests
{
    /// <summary>APPEND creates or extends; STRLEN of every kind of key.</summary>
    [Fact]
    public void AppendAndStrlen()
    {
        using var kit = new StringTestKit();
        kit.Call(":5\r\n", "append", "k", "hello");
        kit.Call(":11\r\n", "append", "k", " world");
        kit.Call("$11\r\nhello world\r\n", "get", "k");
        kit.Call(":11\r\n", "strlen", "k");
        kit.Call(":0\r\n", "strlen", "nokey");
        kit.Call("+OK\r\n", "set", "n", "12345");
        kit.Call(":5\r\n", "strlen", "n");
        kit.Call(":6\r\n", "append", "n", "6");
        kit.Call("$6\r\n123456\r\n", "get", "n");
        kit.Call(":0\r\n", "append", "e", "");
        kit.Exists("e", true);
        kit.Call("+OK\r\n", "set", "t", "v", "ex", "100");
        kit.Call(":2\r\n", "append", "t", "x");
        kit.Ttl("t", 100);
        kit.PlantList("l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "append", "l", "x");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "strlen", "l");
    }

    /// <summary>GETRANGE / SUBSTR index rules.</summary>
    [Fact]
    public void GetRangeAndSubstr()
    {
        using var kit = new StringTestKit();
        kit.Call("+OK\r\n", "set", "k", "This is a string");
        kit.Call("$4\r\nThis\r\n", "getrange", "k", "0", "3");
        kit.Call("$3\r\ning\r\n", "getrange", "k", "-3", "-1");
        kit.Call("$16\r\nThis is a string\r\n", "getrange", "k", "0", "-1");
        kit.Call("$6\r\nstring\r\n", "getrange", "k", "10", "100");
        kit.Call("$1\r\nT\r\n", "getrange", "k", "-100", "-50");
        kit.Call("$0\r\n\r\n", "getrange", "k", "-1", "-5");
        kit.Call("$0\r\n\r\n", "getrange", "k", "5", "3");
        kit.Call("$0\r\n\r\n", "getrange", "k", "-5", "-100");
        kit.Call("$0\r\n\r\n", "getrange", "k", "100", "200");
        kit.Call("$1\r\nT\r\n", "getrange", "k", "0", "0");
        kit.Call("$4\r\nThis\r\n", "substr", "k", "0", "3");
        kit.Call("$0\r\n\r\n", "getrange", "nokey", "0", "-1");
        kit.Call("-ERR value is not an integer or out of range\r\n", "getrange", "k", "a", "1");
        kit.Call("-ERR value is not an integer or out of range\r\n", "getrange", "k", "0", "b");
        kit.Call("-ERR value is not an integer or out of range\r\n", "getrange", "nokey", "x", "1");
        kit.Call("+OK\r\n", "set", "e", "");
        kit.Call("$0\r\n\r\n", "getrange", "e", "0", "-1");
        kit.Call("+OK\r\n", "set", "n", "12345");
        kit.Call("$2\r\n23\r\n", "getrange", "n", "1", "2");
        kit.PlantList("l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "getrange", "l", "0", "1");
    }

    /// <summary>SETRANGE padding, empty values, errors and the size limit.</summary>
    [Fact]
    public void SetRange()
    {
        using var kit = new StringTestKit();
        kit.Call("+OK\r\n", "set", "k", "Hello World");
        kit.Call(":11\r\n", "setrange", "k", "6", "Redis");
        kit.Call("$11\r\nHello Redis\r\n", "get", "k");
        kit.Call(":21\r\n", "setrange", "k", "20", "x");
        kit.Call(":21\r\n", "strlen", "k");
        kit.Call(":0\r\n", "setrange", "nk", "0", "");
        kit.Exists("nk", false);
        kit.Call(":0\r\n", "setrange", "nk", "5", "");
        kit.Exists("nk", false);
        kit.Call(":6\r\n", "setrange", "nk", "3", "abc");
        kit.Call(":6\r\n", "strlen", "nk");
        kit.Call("$3\r\nabc\r\n", "getrange", "nk", "3", "5");
        kit.Call("-ERR offset is out of range\r\n", "setrange", "nk", "-1", "x");
        kit.Call("-ERR value is not an integer or out of range\r\n", "setrange", "nk", "abc", "x");
        kit.Call(":6\r\n", "setrange", "nk", "536870912", "");
        kit.Call(":21\r\n", "setrange", "k", "536870912", "");
        kit.Call("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "setrange", "nk", "536870912", "a");
        kit.Call("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "setrange", "nk", "536870911", "ab");
        kit.Call("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "setrange", "k", "9223372036854775807", "a");
        kit.Call("+OK\r\n", "set", "t", "v", "ex", "100");
        kit.Call(":1\r\n", "setrange", "t", "0", "w");
        kit.Ttl("t", 100);
        kit.Call("$1\r\nw\r\n", "get", "t");
        kit.PlantList("l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "setrange", "l", "0", "x");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "setrange", "l", "0", "");
    }

    /// <summary>INCR family replies, overflow and parse errors.</summary>
    [Fact]
    public void IncrDecrAndOverflow()
    {
        using var kit = new StringTestKit();
        kit.Call(":1\r\n", "incr", "k");
        kit.Call(":2\r\n", "incr", "k");
        kit.Call(":1\r\n", "decr", "k");
        kit.Call(":11\r\n", "incrby", "k", "10");
        kit.Call(":8\r\n", "decrby", "k", "3");
        kit.Call("$1\r\n8\r\n", "get", "k");
        kit.Call(":9223372036854775806\r\n", "incrby", "k", "9223372036854775798");
        kit.Call(":9223372036854775807\r\n", "incr", "k");
        kit.Call(":9223372036854775806\r\n", "incrby", "k", "-1");
        kit.Call(":-1\r\n", "decrby", "k", "9223372036854775807");
        kit.Call(":-9223372036854775808\r\n", "decrby", "k", "9223372036854775807");
        kit.Call("-ERR increment or decrement would overflow\r\n", "decrby", "k", "1");
        kit.Call("-ERR value is not an integer or out of range\r\n", "decrby", "k", "9223372036854775808");
        kit.Call("-ERR decrement would overflow\r\n", "decrby", "k", "-9223372036854775808");
        kit.Call("-ERR increment or decrement would overflow\r\n", "incrby", "k", "-9223372036854775808");
        kit.Call("+OK\r\n", "set", "k", "-9223372036854775808");
        kit.Call("-ERR increment or decrement would overflow\r\n", "decr", "k");
        kit.Call(":-1\r\n", "decrby", "k", "-9223372036854775807");
        kit.Call("-ERR value is not an integer or out of range\r\n", "incrby", "k", "x");
        kit.Call("-ERR value is not an integer or out of range\r\n", "incrby", "k", "1.5");
        kit.Call("-ERR value is not an integer or out of range\r\n", "incrby", "nok", "x");
        kit.Exists("nok", false);
    }

    /// <summary>Only strict integers count as numbers.</summary>
    [Fact]
    public void IncrRefusesNonCanonicalIntegers()
    {
        using var kit = new StringTestKit();
        foreach (var text in new[] { " 1", "1 ", "1.5", "01", "+1", "-0", "abc", "123456789012345678901", "" })
        {
            kit.Call("+OK\r\n", "set", "k", text);
            kit.Call("-ERR value is not an integer or out of range\r\n", "incr", "k");
        }
        kit.Call("+OK\r\n", "set", "t", "5", "ex", "100");
        kit.Call(":6\r\n", "incr", "t");
        kit.Ttl("t", 100);
        kit.PlantList("l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "incr", "l");
        kit.Call("-ERR value is not an integer or out of range\r\n", "incrby", "l", "x");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "incrby", "l", "1");
        kit.Call("-ERR value is not an integer or out of range\r\n", "decrby", "l", "x");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "decr", "l");
    }

    /// <summary>INCRBYFLOAT prints long double results as Redis (%.17Lf, trailing zeros removed).</summary>
    [Fact]
    public void IncrByFloatFormatting()
    {
        using var kit = new StringTestKit();
        kit.Call("+OK\r\n", "set", "f", "10.5");
        kit.Call("$4\r\n10.6\r\n", "incrbyfloat", "f", "0.1");
        kit.Call("$23\r\n-4989.39999999999999991\r\n", "incrbyfloat", "f", "-5.0e3");
        kit.Call("+OK\r\n", "set", "f", "3.0e3");
        kit.Call("$4\r\n3001\r\n", "incrbyfloat", "f", "1");
        kit.Call("+OK\r\n", "set", "f", "1.1");
        kit.Call("$3\r\n3.3\r\n", "incrbyfloat", "f", "2.2");
        kit.Call("+OK\r\n", "set", "f", "0.1");
        kit.Call("$3\r\n0.3\r\n", "incrbyfloat", "f", "0.2");
        kit.Call("$3\r\n1.5\r\n", "incrbyfloat", "nf", "1.5");
        kit.Call("$1\r\n0\r\n", "incrbyfloat", "nf", "-1.5");
        kit.Call("$1\r\n0\r\n", "get", "nf");
        kit.Call("+OK\r\n", "set", "f", "17179869184");
        kit.Call("$13\r\n17179869185.5\r\n", "incrbyfloat", "f", "1.5");
        kit.Call("+OK\r\n", "set", "f", "1e17");
        kit.Call("$20\r\n100000000000000000.5\r\n", "incrbyfloat", "f", "0.5");
        kit.Call("+OK\r\n", "set", "f", "9223372036854775807");
        kit.Call("$19\r\n9223372036854775808\r\n", "incrbyfloat", "f", "1");
        kit.Call("+OK\r\n", "set", "f", "1e-20");
        kit.Call("$1\r\n0\r\n", "incrbyfloat", "f", "0");
        kit.Call("+OK\r\n", "set", "f", "0.000003814697265625");
        kit.Call("$19\r\n0.00000381469726562\r\n", "incrbyfloat", "f", "0");
        kit.Call("+OK\r\n", "set", "f", "0.000000000000000015");
        kit.Call("$19\r\n0.00000000000000002\r\n", "incrbyfloat", "f", "0");
        kit.Call("+OK\r\n", "set", "f", "0.000000000000000025");
        kit.Call("$19\r\n0.00000000000000002\r\n", "incrbyfloat", "f", "0");
        kit.Call("+OK\r\n", "set", "f", "3.14159265358979323846264338327950288");
        kit.Call("$19\r\n3.14159265358979324\r\n", "incrbyfloat", "f", "0");
        kit.Call("+OK\r\n", "set", "f", "1.7976931348623157e308");
        kit.Call("$309\r\n359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768\r\n", "incrbyfloat", "f", "1.7976931348623157e308");
        kit.Call("+OK\r\n", "set", "f", "10");
        kit.Call("$2\r\n26\r\n", "incrbyfloat", "f", "0x10");
        kit.Call("$4\r\n26.5\r\n", "incrbyfloat", "f", "+.5");
        kit.Call("$4\r\n31.5\r\n", "incrbyfloat", "f", "5.");
        kit.Call("$5\r\n31.45\r\n", "incrbyfloat", "f", "-.5E-1");
        kit.Call("+OK\r\n", "set", "f", "0x1p3");
        kit.Call("$1\r\n9\r\n", "incrbyfloat", "f", "1");
        kit.Call("+OK\r\n", "set", "t", "1", "ex", "100");
        kit.Call("$1\r\n2\r\n", "incrbyfloat", "t", "1");
        kit.Ttl("t", 100);
    }

    /// <summary>INCRBYFLOAT parse errors and NaN/Infinity results.</summary>
    [Fact]
    public void IncrByFloatErrors()
    {
        using var kit = new StringTestKit();
        kit.Call("+OK\r\n", "set", "k", "10");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", "x");
        kit.Call("-ERR increment would produce NaN or Infinity\r\n", "incrbyfloat", "k", "inf");
        kit.Call("-ERR increment would produce NaN or Infinity\r\n", "incrbyfloat", "k", "-inf");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", "nan");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", " 1");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", "1 ");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", "1e5000");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", "1e-5000");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", "1e");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", "");
        kit.Call("$4933\r\n1000000000000000000006018949387963891323837774254533114773785041352533019486608722407533327779433142773666525563666277682061860906440460336623416164931097542108653623739947237824273607755646282077337746770628281083461244709457643633409272844851420914666765408339856497738306756454137037618440476182982865954054046320908299555942321302503320602080070208203623921079151881460203745014774931620490030394998719312614654064081373493248877120892455186383753439197870978041502797716880193955403107721911638646256939484197293128160329482360996995779489224859264034146949087194820794222433687849284561987230134006305414553626323614864479565079390052761980633463640128979696615362545507608303960553830866145592644372289102918602696741767741297153998359263135897985849697638678310586803720024647593066044070323761747439375151949994191528876172274034561238465689530914002496208547488452249219821049217690359246594326188537200846025476936856707726986425804304053688317572380292690880454677852210458790733177421098965346383845533016192965653377533421097553773202105452559589360227732550843545717469715211293029277100649951579279463212875228768700827274629951331584994203243708412190948315614798641721054158397351395747758548328754270534225721361640356227816080094892433366902417454242382629232277544026609640255325557814321580325340352330660617642326696140257239552549121071985189443846777623334881929189773707008403466595204838733621633273383631944856989484138444978386656058755310848833689791896484998847550364264104800800578245511762594691161545730891319744107953897993101008217601269310629890308357893793344340072837782716410520818640099771094401772024731084835860689936533035726854175396195351768096519310944631445923638053214575993378468775292865871435742249777979822775014324475845899615096380079899099538453121043851821349178371736640702645304284254885437611441690360616466368202194307769462209963387690446576691969551571041941288302648912827345194286271122230347823246073498285153708579500062656222714954113329293953346495615947784091175883554988117167387650681525781361864450364992605079129770604793291076559668041153558254765774288831330658676910296506538343982699076824147706077401185501337053676875440863113630172067902223837838525802181406003942606507609826320015193807633035586661539150425605940691768637845815434184585255915074081317250319572700370579877977177644345205933505850374212779064837146242765034714569464306865784829936445754893825213995710137567750342556762329137973387913047300554841737506800154984198686923965286147079273203561004647365286049876790788288301130050437207489067798842078443360167772245834103629301041345252122743437501935254370757049878526838283810705343010153283985958550741661374001212323172562230037290597675029278865489570268803618001520280748588481858632332145422181524500970533738858652881625738158955840469334830106366243262210429210258173978186522208306814207038831590332622155464159216193005478809313772661406449321989529908990407599717265354887081027622412165764793106246309910984757869627982700885055259900973567128498437782671492610351088858271463387495833021819318548705558606395846070390500323204636339383655528123657438115225035433947543876805317781492691295772410403746456774175666884503175504415270824258750305653788473882671038340481278188648013647450190431469737277008003041204693859153544058059108384516541261521127088116402349679151317227395183628490922161336429757386698401928682323657056924758648793848799822907606679071280964393541325129231682456669123450140879120137931548652537601508656209183486928384515842973760163601756230697826779237275078471824258664382133759876151537532598429521999758431018087001817485300919479583171049967781322202936864648780744025361452947117776701129210049872555316467204668470989130203733391349501708713181244068921199587314823974568234174792429139799088587794666528769986602820375968045445209219875596678877912103336949894142378173648692130854177898020194629670311101994938157038765957014792056173739623614871557317714453597336202068774935086409386414223375141765601758268418764114651053088281009248246110195084364468926837572992870110411414878770616397817334529367403238061699632089293543118185299881280463481800696201966723511922556078483839325067415562633057448408746541808590342228476964416681055875561781810005936328191844815915658719683522845979901018335050006246392027657149580332319739660376707180429166280658258434773362764563277134220525779869893832824866422909928484939374964071386248088592408142723646533801882861736205992781965360090000802821408763787641023437653119263757280212773694655213507075717622521160227187157631635583682130089364682543007292042009976150135189415923413244100006421082817394988300265734422677548100741829682842668334472314928702968616204691717366798642916146473018363370523427203416579250811577900985980957404830019403600361860520985937973506956557739754741783354728589350876379371163141086538418113791886622720\r\n", "incrbyfloat", "k", "1e4932");
        kit.Call("+OK\r\n", "set", "k", "inf");
        kit.Call("-ERR increment would produce NaN or Infinity\r\n", "incrbyfloat", "k", "1");
        kit.Call("+OK\r\n", "set", "k", "1e5000");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", "1");
        kit.Call("+OK\r\n", "set", "k", "1 ");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", "1");
        kit.Call("+OK\r\n", "set", "k", "abc");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "k", "1");
        kit.Call("-ERR value is not a valid float\r\n", "incrbyfloat", "nok", "x");
        kit.Exists("nok", false);
        kit.PlantList("l");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "incrbyfloat", "l", "1");
        kit.Call("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "incrbyfloat", "l", "x");
    }
}
