import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario_gen import *
T = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Cinnabar.Tests", "Integration", "")
gen_file(T + "StringRangeAndCounterTests.cs", "StringRangeAndCounterTests", "APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE, INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT.", [
("AppendAndStrlen", "APPEND creates or extends; STRLEN of every kind of key.", """
append k hello
append k " world"
get k
strlen k
strlen nokey
set n 12345
strlen n
append n 6
get n
append e ""
exists e
set t v ex 100
append t x
ttl t
lpush l a
append l x
strlen l
"""),
("GetRangeAndSubstr", "GETRANGE / SUBSTR index rules.", """
set k "This is a string"
getrange k 0 3
getrange k -3 -1
getrange k 0 -1
getrange k 10 100
getrange k -100 -50
getrange k -1 -5
getrange k 5 3
getrange k -5 -100
getrange k 100 200
getrange k 0 0
substr k 0 3
getrange nokey 0 -1
getrange k a 1
getrange k 0 b
getrange nokey x 1
set e ""
getrange e 0 -1
set n 12345
getrange n 1 2
lpush l a
getrange l 0 1
"""),
("SetRange", "SETRANGE padding, empty values, errors and the size limit.", """
set k "Hello World"
setrange k 6 Redis
get k
setrange k 20 x
strlen k
setrange nk 0 ""
exists nk
setrange nk 5 ""
exists nk
setrange nk 3 abc
strlen nk
getrange nk 3 5
setrange nk -1 x
setrange nk abc x
setrange nk 536870912 ""
setrange k 536870912 ""
setrange nk 536870912 a
setrange nk 536870911 ab
setrange k 9223372036854775807 a
set t v ex 100
setrange t 0 w
ttl t
get t
lpush l a
setrange l 0 x
setrange l 0 ""
"""),
("IncrDecrAndOverflow", "INCR family replies, overflow and parse errors.", """
incr k
incr k
decr k
incrby k 10
decrby k 3
get k
incrby k 9223372036854775798
incr k
incrby k -1
decrby k 9223372036854775807
decrby k 9223372036854775807
decrby k 1
decrby k 9223372036854775808
decrby k -9223372036854775808
incrby k -9223372036854775808
set k -9223372036854775808
decr k
decrby k -9223372036854775807
incrby k x
incrby k 1.5
incrby nok x
exists nok
"""),
("IncrRefusesNonCanonicalIntegers", "Only strict integers count as numbers.", """
set k " 1"
incr k
set k "1 "
incr k
set k 1.5
incr k
set k 01
incr k
set k +1
incr k
set k -0
incr k
set k abc
incr k
set k 123456789012345678901
incr k
set k ""
incr k
set t 5 ex 100
incr t
ttl t
lpush l a
incr l
incrby l x
incrby l 1
decrby l x
decr l
"""),
("IncrByFloatFormatting", "INCRBYFLOAT prints long double results as Redis (%.17Lf, trailing zeros removed).", """
set f 10.5
incrbyfloat f 0.1
incrbyfloat f -5.0e3
set f 3.0e3
incrbyfloat f 1
set f 1.1
incrbyfloat f 2.2
set f 0.1
incrbyfloat f 0.2
incrbyfloat nf 1.5
incrbyfloat nf -1.5
get nf
set f 17179869184
incrbyfloat f 1.5
set f 1e17
incrbyfloat f 0.5
set f 9223372036854775807
incrbyfloat f 1
set f 1e-20
incrbyfloat f 0
set f 0.000003814697265625
incrbyfloat f 0
set f 0.000000000000000015
incrbyfloat f 0
set f 0.000000000000000025
incrbyfloat f 0
set f 3.14159265358979323846264338327950288
incrbyfloat f 0
set f 1.7976931348623157e308
incrbyfloat f 1.7976931348623157e308
set f 10
incrbyfloat f 0x10
incrbyfloat f +.5
incrbyfloat f 5.
incrbyfloat f -.5E-1
set f 0x1p3
incrbyfloat f 1
set t 1 ex 100
incrbyfloat t 1
ttl t
"""),
("IncrByFloatErrors", "INCRBYFLOAT parse errors and NaN/Infinity results.", """
set k 10
incrbyfloat k x
incrbyfloat k inf
incrbyfloat k -inf
incrbyfloat k nan
incrbyfloat k " 1"
incrbyfloat k "1 "
incrbyfloat k 1e5000
incrbyfloat k 1e-5000
incrbyfloat k 1e
incrbyfloat k ""
incrbyfloat k 1e4932
set k inf
incrbyfloat k 1
set k 1e5000
incrbyfloat k 1
set k "1 "
incrbyfloat k 1
set k abc
incrbyfloat k 1
incrbyfloat nok x
exists nok
lpush l a
incrbyfloat l 1
incrbyfloat l x
"""),
])
