import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario_gen import *
T = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Cinnabar.Tests", "Integration", "")
gen_file(T + "StringTests.cs", "StringTests", "GET, SET and its options, SETNX/SETEX/PSETEX, GETEX, GETDEL, GETSET, MGET, MSET, MSETNX.", [
("SetOptionConflictsAreSyntaxErrors", "Conflicting or incomplete SET options.", """
set k v nx xx
set k v ex 10 px 100
set k v ex 10 keepttl
set k v keepttl ex 10
set k v exat 10 pxat 10
set k v px 10 ex 10
set k v pxat 10 keepttl
set k v ex 1 nx xx
set k v nx ex
set k v ex
set k v foo
set k v ex abc foo
set k v EX 10 EX 20
set k v NX NX
set k v KEEPTTL KEEPTTL
exists k
"""),
("SetInvalidExpireTimes", "Zero, negative, non-integer and overflowing expire times.", """
set k v ex 0
set k v ex -1
set k v px 0
set k v exat 0
set k v pxat 0
set k v ex abc
set k v ex 10.5
set k v ex 9223372036854775807
set k v px 9223372036854775807
set k v ex 9223372036854775
set k v ex 9223372036854
exists k
set nokey v xx ex 0
set k v get ex 0
"""),
("SetNxXxGet", "NX / XX conditions and GET's old value.", """
set k v get
set k v2 get
get k
set k v3 nx get
set k v4 xx get
get k
set k v5 nx
set k v5 xx
set k2 v5 xx
set k2 v5 xx get
exists k2
set k v GET GET
get nokey
"""),
("SetExpireOptionsAndKeepTtl", "EX/EXAT/PXAT, KEEPTTL, and SET without KEEPTTL dropping the TTL.", """
set k v ex 100
ttl k
set k v2 keepttl
ttl k
get k
set k v3
ttl k
set k v px 50000
ttl k
set k v exat 1
exists k
set k v pxat 1 get
exists k
"""),
("SetAndGetOnWrongType", "Another type under the key: GET and SET GET fail, plain SET replaces.", """
lpush l a
get l
set l v get
set l v nx get
set l v xx get
set l v ex 0 get
set l v
get l
"""),
("SetNxSetExPSetEx", "SETNX, SETEX and PSETEX replies and errors.", """
setnx k v
setnx k v2
get k
setex k 0 v
setex k -1 v
setex k abc v
setex k 9223372036854775 v
setex k 10 v
ttl k
psetex k 0 v
psetex k 10000 v2
ttl k
get k
lpush l a
setnx l v
setex l 10 v
get l
"""),
("GetExOptions", "GETEX options, their conflicts, and the order of checks.", """
getex nokey
getex nokey ex 10
getex nokey ex 0
getex nokey ex abc
set k v
getex k
getex k ex 0
getex k ex -5
getex k ex abc
getex k ex
getex k ex 100 px 100
getex k persist ex 10
getex k ex 10 persist
getex k foo
getex k persist persist
getex k ex 10 ex 20
ttl k
getex k persist
ttl k
getex k px 5000
ttl k
getex k exat 1
exists k
set k v
getex k pxat 1
exists k
lpush l a
getex l
getex l ex 0
getex l ex abc foo
"""),
("GetDelAndGetSet", "GETDEL and GETSET.", """
getdel nokey
set k v ex 100
getdel k
exists k
getset k v
getset k v2
get k
set k v ex 100
getset k v3
ttl k
lpush l a
getdel l
getset l v
"""),
("MGetMSetMSetNx", "Multi-key reads and writes.", """
set k v
lpush l a
mget a k l nokey
mset a 1 b 2
mset a 1 b
mget a b
msetnx a 1 c 3
exists c
msetnx c 3 d 4
msetnx c 3 c 4
msetnx e 3 e 4
get e
mget e d c
set t v ex 100
mset t v2
ttl t
"""),
("Resp3NullReplies", "RESP3 clients get _ for nil bulk replies.", """
hello 3
get nokey
set k v nx
set k v xx get
set nk v xx
getex nokey
getdel nokey
getset nk2 v
mget nokey k
setnx k v
getrange nokey 0 1
bitfield nk3 overflow fail incrby u8 0 300 get u8 0
lcs nokey nokey2
incrbyfloat f 1.5
"""),
("ObjectEncodingOfWrites", "Which writes leave int, embstr or raw (OBJECT ENCODING).", """
set k 123
object encoding k
set k 0123
object encoding k
set k -0
object encoding k
set k 9223372036854775807
object encoding k
set k 9223372036854775808
object encoding k
set k aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
object encoding k
set k aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
object encoding k
set k v
append k x
object encoding k
set k 5
append k 1
object encoding k
incr k
object encoding k
setrange k 0 9
object encoding k
set k abc
setbit k 1 1
object encoding k
set k abc
bitfield k set u8 0 97
object encoding k
set k abc
bitfield k get u8 0
object encoding k
getbit k 1
object encoding k
setrange k 0 ""
object encoding k
set k 10
incrbyfloat k 1.5
object encoding k
incrbyfloat k 0.5
get k
object encoding k
set a abc
bitop not dest a
object encoding dest
mset m1 123 m2 abc
object encoding m1
object encoding m2
setnx m3 42
object encoding m3
getset m3 43
object encoding m3
setex m4 100 7
object encoding m4
append nk 123
object encoding nk
set k ""
append k ""
object encoding k
setrange nk2 0 abc
object encoding nk2
setbit nk3 0 1
object encoding nk3
incr nk4
object encoding nk4
incrbyfloat nk5 1.5
object encoding nk5
"""),
])
