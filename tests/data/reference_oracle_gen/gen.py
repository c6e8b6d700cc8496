import json, random, sys
H64 = "0123456789abcdef"*4
H = lambda n: ("0123456789abcdef"*20)[:n]
D1 = "sha256:" + H64
hand = [
 # spec 7.3
 "busybox","docker.io/busybox","index.docker.io/busybox","index.docker.io/library/busybox","ns/repo","notlocalhost/repo",
 "localhost/foo","LOCALHOST/foo","localhost:5000/foo","192.168.1.1:5000/x","[::1]:5000/x","Foo.com/repo","FOO.COM/Repo",
 "example.com/UPPER","example.com/foo:TAG","docker.io","example.com","example.com:5000","docker.io/library","foo_bar.com/repo",
 "sha256:"+H64,"busybox:latest@"+D1,"busybox@sha256:"+H64.upper(),"busybox@sha512:"+H64,"busybox@md5:"+H(32),
 "busybox:"+"t"*128,"busybox:"+"t"*129,"busybox:.t","busybox:-t","busybox:_t","a"*237,"a"*238,"ex.com/"+"a"*248,"ex.com/"+"a"*249,
 "","foo/","/foo","foo//bar","-foo.com/bar","foo-.com/bar","ex.com:/bar","ex.com:abc/bar","busybox:latest:foo","docker.io/"+H64, H64, H64.upper(),
 "busybox@sha384:"+H(96),"busybox@sha512:"+H(128),"busybox@sha256:"+H(63),"busybox@sha256:"+H(65),"busybox@SHA256:"+H64,
 "busybox:tag@SHA256:"+H64,"busybox:tag@sha256:"+H64.upper(),"busybox:tag@md5:"+H(32),"busybox@sha256:"+"g"*64,
 "\u212a.com/foo","busybox:\u0130","busybox:\u212a","\u0130.com/foo","busybox/\u0130","ex.com/\u00e9","caf\u00e9","\u00c9cole",
 "UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES","INVALID","registry.access.redhat.com/rhel7/rhel:7.2.3","hostname/library/busybox:notlatest",
 "library/busybox:latest","docker.io/library/busybox:latest","library/busybox@"+D1,"busybox:latest@"+D1,
 # 6.1 prefixes
 "Example.COM","example.com:80","1.2.3.4","foo-bar","a","shortname","Ns/shortname","example.com:5000/a/b",
 "example.com/ns1/ns2/ns3/repo.with.dots-dashes_underscores","repo_with_underscores","foo_bar","-foo","example.com/","example.com:",
 "example..com","*.example.com","example.com/repo:tag","example.com/repo@"+D1,"ex_ample.com/foo","mirror.example","vendor.example:5000",
 "not-docker-signed.example/ns","docker.io/library/busybox","vendor.example:5000:tag","vendor.example:5000@"+D1,"notlocalhost:tag",
 "mirror.example/ns/image:tag","docker.io/busybox:latest",
 # normalize_test.go
 "docker/docker","library/debian","debian","docker.io/docker/docker","docker.io/library/debian","docker.io/debian",
 "index.docker.io/docker/docker","index.docker.io/library/debian","index.docker.io/debian","127.0.0.1:5000/docker/docker",
 "127.0.0.1:5000/library/debian","127.0.0.1:5000/debian","thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
 "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a","https://github.com/docker/docker","docker/Docker",
 "-docker","-docker/docker","-docker.io/docker/docker","docker///docker","docker.io/docker/Docker","docker.io/docker///docker",
 "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a","docker-rules/docker","docker---rules/docker","doc/docker",
 "d/docker","jess/t","dock__er/docker","docker-/docker","-docker-/docker","____/____","_docker/_docker","dock..er/docker",
 "dock_.er/docker","dock-.er/docker","docker/",
 "this_is_not_a_valid_namespace_because_its_length_is_greater_than_255_this_is_not_a_valid_namespace_because_its_length_is_greater_than_255_this_is_not_a_valid_namespace_because_its_length_is_greater_than_255_this_is_not_a_valid_namespace_because_its_length_is_greater_than_255/docker",
 "fooo/bar","docker.io/fooo/bar","index.docker.io/fooo/bar","library/ubuntu","ubuntu","docker.io/library/ubuntu","nonlibrary/ubuntu",
 "docker.io/nonlibrary/ubuntu","other/library","docker.io/other/library","127.0.0.1:8000/private/moonbase","127.0.0.1:8000/privatebase",
 "example.com/private/moonbase","example.com/privatebase","example.com:8000/private/moonbase","example.com:8000/privatebasee",
 "ubuntu-12.04-base","docker.io/library/ubuntu-12.04-base","index.docker.io/library/ubuntu-12.04-base","foo","docker.io/library/foo",
 "docker.io/foo","library/foo/bar","docker.io/library/foo/bar","store/foo/bar","docker.io/store/foo/bar",
 "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa","redis","redis:latest",
 "docker.io/library/redis:latest","redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
 "dmcgowan/myapp","dmcgowan/myapp:latest","docker.io/mcgowan/myapp:latest",
 "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c","sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c",
 "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9","test.com/foo","test_com/foo","docker/migrator","test.com:8080/foo",
 "test-com:8080/foo","xn--n3h.com/foo","xn--n3h.com:18080/foo","gcr.io/library/busybox",
 "gcr.io/library/busybox:latest@sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582",
 # reference_test.go
 "test_com","test.com:tag","test.com:5000","test.com/repo:tag","test:5000/repo","test:5000/repo:tag",
 "test:5000/repo@sha256:"+"f"*64,"test:5000/repo:tag@sha256:"+"f"*64,":justtag","@sha256:"+"f"*64,"repo@sha256:"+"f"*34,
 "validname@invaliddigest:"+"f"*64,"Uppercase:tag","Uppercase/lowercase:tag","test:5000/Uppercase/lowercase:tag","lowercase:Uppercase",
 "a/"*128+"a:tag","a/"*127+"a:tag-puts-this-over-max","aa/asdf$$^/aa","sub-dom1.foo.com/bar/baz/quux","sub-dom1.foo.com/bar/baz/quux:some-long-tag",
 "b.gcr.io/test.example.com/my-app:test.example.com","xn--n3h.com/myimage:xn--n3h.com",
 "xn--7o8h.com/myimage:xn--7o8h.com@sha512:"+"f"*128,"foo_bar.com:8080","foo/foo_bar.com:8080","test:8080/foo",
 "example.com:8000/named","example.com:8000/named:tagged","other.com/named@sha256:1234567890098765432112345667890098765432112345667890098765432112",
 "test.com","library/foo",
 # regexp_test.go
 "test.com:10304","test.com:http","localhost","localhost:8080","a.b","ab.cd.com","a-b.com","-ab.com","ab-.com","ab.c-om","ab.-com","ab.com-",
 "0101.com","001a.com","b.gbc.io:443","b.gbc.io","xn--n3h.com","Asdf.com","short","simple/name","docker/stevvooe/app",
 "aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb","aa/aa/bb/bb/bb","a/a/a/a","a/a/a/a/","a//a/a","a/aa","a/aa/a","foo.com","foo.com/",
 "foo.com:8080/bar","foo.com:http/bar","foo.com/bar","foo.com/bar/baz","localhost:8080/bar","blog.foo.com/bar/baz","a^a","asdf$$^/aa",
 "aa-a/a","a/"*128+"a","a-/a/a/a","foo.com/a-/a/a","-foo/bar","foo/bar-","foo-/bar","foo/-bar","_foo/bar","foo_bar.com","foo_bar.com:8080",
 "foo_bar.com:8080/app","foo.com/foo_bar","docker_/docker_","b.gcr.io/test.example.com/my-app","xn--7o8h.com/myimage",
 "example.com/xn--7o8h.com/myimage","example.com/some_separator__underscore/myimage","example.com/__underscore/myimage",
 "example.com/..dots/myimage","example.com/.dots/myimage","example.com/nodouble..dots/myimage","docker./docker",".docker/docker",
 "do..cker/docker","do__cker:8080/docker","do__cker/docker","registry.io/foo/project--id.module--name.ver---sion--name","Asdf.com/foo/bar",
 "Foo/FarB","registry.com:8080/myapp:tag","registry.com:8080/myapp@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
 "registry.com:8080/myapp:tag2@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912","registry.com:8080/myapp@sha256:badbadbadbad",
 "registry.com:8080/myapp:invalid~tag","bad_hostname.com:8080/myapp:tag","localhost:8080@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
 "localhost:8080/name@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912","localhost:http/name@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912",
 "localhost@sha256:be178c0543eb17f5f3043021c9e5fcf30285e557a4fc309cce97ff9ca6182912","registry.com:8080/myapp@bad","registry.com:8080/myapp@2bad",
 "da304e823d8ca2b9d863a3c897baeb852ba21ea9a9f1414736394ae7fcaf9821","7EC43B381E5AEFE6E04EFB0B3F0693FF2A4A50652D64AEC573905F2DB5889A1C",
 # extra edge cases
 "a--b","a___b","a..b","a-_b","_a","a__b","a.b.c","a-b","a---b","a_b","a.b","a-","a.","a_",
 "localhost:5000","localhost:5000:tag","localhost/foo:tag@"+D1,"Docker.IO/foo","docker.io/Foo","index.docker.io","index.docker.io/foo/bar",
 "docker.io/library/library","library","library/library","docker.io/library/a/b","example.com/library/busybox",
 "foo:bar/baz","foo:5000/bar","Foo:5000/bar","a.b.c.d:1/x","1.2.3.4/x","1.2.3.4:/x","host:0/x","host:00000000000000000000/x",
 "busybox\n","busybox ","busybox\t"," busybox","busybox:tag\n","ex.com/a\u0000","example.com/foo@"+D1+"\n",
 "foo@sha256:"+H64+"@sha256:"+H64,"foo@","foo:","foo:@"+D1,"foo@sha256:","foo@:"+H64,"foo@sha256"+H64,
 "foo@sha256:"+H(32),"foo@sha256:"+H(31),"foo@a:"+H(32),"foo@a1.b2+c3_d4-e5:"+H(40),"foo@a.1:"+H(40),
 "Example.Com:5000/foo/bar:Tag","example.com:5000/foo/bar:tag@sha512:"+H(128),"xn--n3h.com/foo","-a.com/foo","a-.com/foo","a.-b.com/foo",
 "foo/bar:tag@sha256:"+H64, "sha256:"+H64+"/foo", "foo/sha256:"+H64, "sha256/"+H64,
]
# DigestOnly-style inputs for Digest::parse coverage
digests = ["sha256:"+H64,"sha256:"+H64.upper(),"sha384:"+H(96),"sha512:"+H(128),"sha512:"+H64,"md5:"+H(32),"sha256","sha256:",":"+H64,
 ":","","SHA256:"+H64,"sha256:"+H(63)+"G","sha256:"+H(63)+"\u00e9","sha3.256+b64:AbC_-=","foo:bar:baz","a-b:x","a--b:x","a+b:==","a_b:_-",
 "sha256 :"+H64,"sha256:"+H64+" ","blake3:"+H64,"Sha256:"+H64,"sha256:"+"A"*64,"sha256:"+"0"*64]
def gen_comb():
    doms = ["","docker.io/","index.docker.io/","localhost/","localhost:5000/","Example.com/","ex.com:5000/","foo_bar.com/","a/","1.2.3.4:80/","LOCALHOST/","ex-.com/"]
    paths = ["busybox","library/busybox","ns/repo","a/b/c","Foo","a__b","a_.b","a/"]
    sufs = ["",":latest",":Tag",":-x","@"+D1,":v1@"+D1,"@sha256:"+H64.upper(),":5000"]
    out=[]
    for d in doms:
        for p in paths:
            for s in sufs:
                out.append(d+p+s)
    return out
def gen_len():
    out=[]
    for n in (236,237,238,254,255,256,261,262):
        out.append("a"*n); out.append("ex.com/"+"a"*(n-7)); out.append("ns/"+"a"*(n-3)); out.append("index.docker.io/library/"+"b"*(n-24))
        out.append("a"*n+":tag"); out.append("foo_bar.com/"+"c"*(n-12))
    return out
def gen_random(n, seed):
    rnd=random.Random(seed)
    alpha="abcAB019._-:/@"
    toks=["sha256:"+H64,"sha512:"+H(128),"docker.io","localhost","library","ex.com",":5000","/","@","__","--","..","_","\u212a","\u0130","\u00e9"]
    out=[]
    for _ in range(n):
        s=""
        for _ in range(rnd.randint(0,12)):
            if rnd.random()<0.2: s+=rnd.choice(toks)
            else: s+=rnd.choice(alpha)*rnd.randint(1,3)
        out.append(s)
    return out
mode=sys.argv[1]
if mode=="commit":
    items = hand + digests + gen_comb() + gen_len() + gen_random(400, 1)
elif mode=="mutate":
    rnd=random.Random(int(sys.argv[3]))
    base = hand + digests + gen_comb()
    alpha="abcAZ09._-:/@\u212a\u0130\u00e9 "
    items=[]
    for _ in range(int(sys.argv[2])):
        s=rnd.choice(base)
        for _ in range(rnd.randint(1,3)):
            op=rnd.random(); i=rnd.randint(0,len(s))
            if op<0.4: s=s[:i]+rnd.choice(alpha)+s[i:]
            elif op<0.7: s=s[:i]+s[i+1:]
            elif op<0.85: s=s[:i]+rnd.choice(alpha)+s[i+1:]
            else:
                j=rnd.randint(0,len(s)); s=s[:i]+s[min(i,j):max(i,j)]+s[i:]
        items.append(s)
else:
    items = gen_random(int(sys.argv[2]), int(sys.argv[3]))
seen=set()
for s in items:
    if s in seen: continue
    seen.add(s)
    print(json.dumps(s, ensure_ascii=False))
