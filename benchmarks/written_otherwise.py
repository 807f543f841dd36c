"""Cross-matching on sets written otherwise: a second generator, written apart from sirocco.synth.

Other names (Afghan, Pakistani, Maghrebi, Kurdish and Balkan names outside the synth's pools),
its own transliteration of each agency's habits (Cyrillic for RS/MK/BG, German, Hungarian and
Croatian spellings, passport MRZ at AT, half of AT's and DE's passports reported as Passport
entities naming their holder), its own hard negatives (namesakes who share a nationality,
siblings sharing a family name, a father and sometimes a phone, fleets of two vans with plates
one digit apart) and camera misreads. A spelling already in one country's habit
(Dschawad, Džavad) is written as it is, never transliterated again. One person's guesses at
each habit: a check of how the matching holds on data it was not tuned on, not a gold standard.

    .venv/bin/python benchmarks/written_otherwise.py --identities 300 --seed 7

writes the set to benchmarks/data/, runs `sirocco xmatch` on it and prints cross-agency
precision, recall and F1 of its matches per schema.
"""

import argparse
import json
import random
import re
import subprocess
import sys
from pathlib import Path

_parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
_parser.add_argument("--identities", type=int, default=300, help="people (vans: a quarter)")
_parser.add_argument("--seed", type=int, default=7)
ARGS = _parser.parse_args()
DATA = Path(__file__).parent / "data"
rng = random.Random(ARGS.seed)

GIVEN = {  # canonical: spellings
    "Gulbuddin": ["Gulbuddin", "Gulbudin", "Golbuddin"],
    "Mirwais": ["Mirwais", "Mirvais", "Mirways"],
    "Rahmatullah": ["Rahmatullah", "Rahmatulla", "Rahmatollah"],
    "Naveed": ["Naveed", "Navid", "Nawid"],
    "Shoaib": ["Shoaib", "Shoayb", "Schoaib"],
    "Yahya": ["Yahya", "Yahia", "Jahja"],
    "Murtaza": ["Murtaza", "Mortaza", "Murtesa"],
    "Abdelkader": ["Abdelkader", "Abdul Qadir", "Abdulkadir", "Abd al-Qadir"],
    "Youssef": ["Youssef", "Yusuf", "Jusuf", "Yousef"],
    "Hicham": ["Hicham", "Hisham", "Hischam"],
    "Oussama": ["Oussama", "Osama", "Usama"],
    "Kawa": ["Kawa", "Kava"],
    "Dilshad": ["Dilshad", "Dilschad", "Dilšad"],
    "Sherzad": ["Sherzad", "Scherzad", "Şerzad"],
    "Zakaria": ["Zakaria", "Zakariya", "Sakaria", "Zekeriya"],
    "Mustafa": ["Mustafa", "Mostafa", "Moustafa"],
    "Ayoub": ["Ayoub", "Ayub", "Eyüp", "Ajub"],
    "Hamid": ["Hamid", "Hameed", "Chamid"],
    "Jawad": ["Jawad", "Javad", "Dschawad", "Džavad"],
    "Khalil": ["Khalil", "Chalil", "Halil"],
    "Sadiq": ["Sadiq", "Sadik", "Sadegh"],
    "Farhad": ["Farhad", "Farchad", "Ferhat"],
    "Jamshid": ["Jamshid", "Dschamschid", "Džamšid", "Jamsheed"],
    "Ehsan": ["Ehsan", "Ihsan", "Ehsun"],
    "Bilal": ["Bilal", "Belal"],
    "Idris": ["Idris", "Edris", "Idriss"],
    "Anwar": ["Anwar", "Anvar", "Enver"],
    "Salah": ["Salah", "Salaheddine", "Salahuddin"][:1] + ["Salaah"],
    "Nasrullah": ["Nasrullah", "Nasrulla"],
    "Wali": ["Wali", "Vali", "Valiy"],
    "Dragan": ["Dragan"],
    "Goran": ["Goran"],
    "Nikola": ["Nikola", "Nicola"],
    "Ion": ["Ion", "Ioan"],
    "Florin": ["Florin"],
    "Zoltan": ["Zoltán", "Zoltan"],
    "Georgi": ["Georgi", "Georgiy"],
    "Dimitar": ["Dimitar", "Dimitr"],
    "Arben": ["Arben"],
    "Besnik": ["Besnik"],
    "Emir": ["Emir"],
    "Dzevad": ["Dževad", "Dzevad", "Dschewad"],
    "Milos": ["Miloš", "Milos", "Milosch"],
    "Djordje": ["Đorđe", "Djordje", "Dorde", "Georg"][:3],
    "Ferenc": ["Ferenc"],
    "Attila": ["Attila", "Atila"],
    "Zarghuna": ["Zarghuna", "Zarguna"],
    "Shabnam": ["Shabnam", "Schabnam", "Šabnam"],
    "Parwana": ["Parwana", "Parvana"],
    "Samira": ["Samira", "Sameera"],
    "Yasmin": ["Yasmin", "Jasmin", "Yasmine"],
}
FAMILY = {
    "Wardak": ["Wardak", "Vardak"],
    "Safi": ["Safi", "Safy"],
    "Nuristani": ["Nuristani", "Nooristani"],
    "Haqqani": ["Haqqani", "Hakkani", "Haqani"],
    "Qurbani": ["Qurbani", "Ghorbani", "Kurbani"],
    "Benali": ["Benali", "Ben Ali"],
    "El Amrani": ["El Amrani", "Elamrani", "Al-Amrani", "Amrani"],
    "Ouazzani": ["Ouazzani", "Wazzani", "Ouazani"],
    "Bouzid": ["Bouzid", "Buzid"],
    "Barzani": ["Barzani", "Barsani"],
    "Hamakarim": ["Hamakarim", "Hama Karim"],
    "Mirani": ["Mirani", "Mirany"],
    "Yildirim": ["Yıldırım", "Yildirim", "Jildirim"],
    "Anjum": ["Anjum", "Andschum", "Anjoum"],
    "Akhtar": ["Akhtar", "Achtar", "Aktar"],
    "Popalzai": ["Popalzai", "Popalzay"],
    "Stanekzai": ["Stanekzai", "Stanikzai"],
    "Sharifi": ["Sharifi", "Scharifi", "Šarifi"],
    "Jafari": ["Jafari", "Dschafari", "Džafari", "Jaafari"],
    "Hosseinzadeh": ["Hosseinzadeh", "Husseinzade", "Hoseinzade"],
    "Tahiri": ["Tahiri", "Taheri"],
    "Azizi": ["Azizi", "Asisi"],
    "Samadi": ["Samadi", "Samady"],
    "Chaudhry": ["Chaudhry", "Chaudhary", "Choudhury"],
    "Rehman": ["Rehman", "Rahman", "Rechman"],
    "Jovanovic": ["Jovanović", "Jovanovic", "Jovanovich"],
    "Petrovic": ["Petrović", "Petrovic", "Petrowitsch"],
    "Popescu": ["Popescu"],
    "Dimitrov": ["Dimitrov", "Dimitrow"],
    "Kovacs": ["Kovács", "Kovacs", "Kowatsch"],
    "Hodzic": ["Hodžić", "Hodzic", "Hodschitsch"],
    "Krasniqi": ["Krasniqi", "Krasniqui", "Krasnici"],
    "Szabo": ["Szabó", "Szabo"],
    "Ionescu": ["Ionescu"],
    "Georgiev": ["Georgiev", "Georgiew"],
    "Stojanovski": ["Stojanovski", "Stoyanovski"],
    "Berisha": ["Berisha", "Beriša"],
}
FEMALE = {"Zarghuna", "Shabnam", "Parwana", "Samira", "Yasmin"}
BALKAN_G = {
    "Dragan",
    "Goran",
    "Nikola",
    "Ion",
    "Florin",
    "Zoltan",
    "Georgi",
    "Dimitar",
    "Arben",
    "Besnik",
    "Emir",
    "Dzevad",
    "Milos",
    "Djordje",
    "Ferenc",
    "Attila",
}
BALKAN_F = {
    "Jovanovic",
    "Petrovic",
    "Popescu",
    "Dimitrov",
    "Kovacs",
    "Hodzic",
    "Krasniqi",
    "Szabo",
    "Ionescu",
    "Georgiev",
    "Stojanovski",
    "Berisha",
}
NAT = {
    "AF": ["Afghanistan", "AFG", "af"],
    "PK": ["Pakistan", "PAK", "pk"],
    "SY": ["Syria", "SYR", "sy"],
    "MA": ["Morocco", "MAR", "ma"],
    "IQ": ["Iraq", "IRQ", "iq"],
    "TR": ["Turkey", "TUR", "tr"],
    "RS": ["Serbia", "SRB", "rs"],
    "BG": ["Bulgaria", "BGR", "bg"],
    "RO": ["Romania", "ROU", "ro"],
    "HU": ["Hungary", "HUN", "hu"],
    "XK": ["Kosovo", "XKX", "xk"],
    "BA": ["Bosnia and Herzegovina", "BIH", "ba"],
}
AGENCIES = ["AT", "BG", "HR", "MK", "DE", "HU", "RO", "RS", "SI", "CH"]
CC = {
    "AT": "43",
    "BG": "359",
    "HR": "385",
    "MK": "389",
    "DE": "49",
    "HU": "36",
    "RO": "40",
    "RS": "381",
    "SI": "386",
    "CH": "41",
}

SR = {
    "a": "а",
    "b": "б",
    "v": "в",
    "g": "г",
    "d": "д",
    "đ": "ђ",
    "e": "е",
    "ž": "ж",
    "z": "з",
    "i": "и",
    "j": "ј",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "r": "р",
    "s": "с",
    "t": "т",
    "ć": "ћ",
    "u": "у",
    "f": "ф",
    "h": "х",
    "c": "ц",
    "č": "ч",
    "š": "ш",
    "y": "ј",
    "w": "в",
    "q": "к",
    "x": "кс",
}


def to_latin_slavic(name):  # English-ish to Croatian/Serbian Latin spelling
    s = name
    for a, b in (
        ("Sh", "Š"),
        ("sh", "š"),
        ("Ch", "Č"),
        ("ch", "č"),
        ("Kh", "H"),
        ("kh", "h"),
        ("J", "Dž"),
        ("j", "dž"),
        ("Y", "J"),
        ("y", "j"),
        ("W", "V"),
        ("w", "v"),
        ("Q", "K"),
        ("q", "k"),
        ("ou", "u"),
        ("Ou", "U"),
        ("ee", "i"),
        ("oo", "u"),
        ("x", "ks"),
    ):
        s = s.replace(a, b)
    return s


def cyr(name, lang):
    s = to_latin_slavic(name)
    out = []
    i = 0
    low = s
    while i < len(low):
        ch = low[i]
        up = ch.isupper()
        c = ch.lower()
        if low[i : i + 2].lower() == "dž":
            r = "џ" if lang in ("RS", "MK") else "дж"
            i += 2
        elif lang == "BG" and c == "j":
            r = "й"
            i += 1
        elif lang == "MK" and c == "ć":
            r = "ќ"
            i += 1
        elif lang == "MK" and c == "đ":
            r = "ѓ"
            i += 1
        elif lang == "BG" and c in "ćč":
            r = "ч"
            i += 1
        elif lang == "BG" and c == "đ":
            r = "дж"
            i += 1
        else:
            r = SR.get(c, c)
            i += 1
        out.append(r.capitalize() if up else r)
    return "".join(out)


def german(name):
    s = name
    for a, b in (
        ("Sh", "Sch"),
        ("sh", "sch"),
        ("Ch", "Tsch"),
        ("ch", "tsch"),
        ("J", "Dsch"),
        ("j", "dsch"),
        ("Y", "J"),
        ("y", "j"),
        ("W", "W"),
        ("v", "w"),
        ("V", "W"),
        ("Kh", "Ch"),
        ("kh", "ch"),
        ("ć", "c"),
        ("č", "tsch"),
        ("š", "sch"),
        ("ž", "sch"),
        ("đ", "dj"),
        ("Đ", "Dj"),
        ("ı", "i"),
        ("ş", "sch"),
        ("Ş", "Sch"),
    ):
        s = s.replace(a, b)
    return s


def hungarian(name):
    s = name
    for a, b in (
        ("Sh", "S"),
        ("sh", "s"),
        ("Ch", "Cs"),
        ("ch", "cs"),
        ("Kh", "H"),
        ("kh", "h"),
        ("J", "Dzs"),
        ("j", "dzs"),
        ("Y", "J"),
        ("y", "j"),
        ("W", "V"),
        ("w", "v"),
        ("ć", "cs"),
        ("č", "cs"),
        ("š", "s"),
        ("ž", "zs"),
        ("ı", "i"),
        ("ş", "s"),
    ):
        s = s.replace(a, b)
    return s


def ascii_fold(name):
    import unicodedata

    return "".join(
        c
        for c in unicodedata.normalize(
            "NFKD", name.replace("ı", "i").replace("đ", "dj").replace("Đ", "Dj")
        )
        if not unicodedata.combining(c)
    )


def romanised(spelling):
    """Whether a spelling is an English-style romanisation, which a country's habit may transform
    further; a spelling already in one country's habit (Dschawad, Džavad, Petrowitsch) is
    written as it is, never transformed again."""
    return spelling.isascii() and not re.search(r"sch|ow$|ew$|^Ch[aeiou]", spelling)


def write_name(agency, given, family, balkan):
    """``given`` and ``family``: the name's accepted spellings, one picked here."""
    as_is = rng.choice(given), rng.choice(family)
    given = rng.choice([g for g in given if romanised(g)] or [given[0]])
    family = rng.choice([f for f in family if romanised(f)] or [family[0]])
    if agency in ("RS", "MK", "BG") and rng.random() < 0.75:
        return cyr(given, agency), cyr(family, agency)
    if balkan:
        if agency in ("DE", "AT", "CH") and rng.random() < 0.5:
            return ascii_fold(as_is[0]), ascii_fold(as_is[1])
        return as_is
    if agency in ("DE", "AT", "CH") and rng.random() < 0.5:
        return german(given), german(family)
    if agency == "HU" and rng.random() < 0.5:
        return hungarian(given), hungarian(family)
    if agency in ("HR", "SI", "RS") and rng.random() < 0.6:
        return to_latin_slavic(given), to_latin_slavic(family)
    return as_is


def fmt_date(agency, y, m, d):
    r = rng.random()
    if agency in ("DE", "AT", "CH", "HR", "SI", "RS", "MK", "BG", "RO"):
        return f"{d:02d}.{m:02d}.{y}" if r < 0.6 else f"{y}-{m:02d}-{d:02d}"
    if agency == "HU":
        return f"{y}.{m:02d}.{d:02d}." if r < 0.5 else f"{y}-{m:02d}-{d:02d}"
    return f"{y}-{m:02d}-{d:02d}"


def phone(agency, e164cc, national):
    r = rng.random()
    if agency == CCOUNTRY.get(e164cc):
        if r < 0.5:
            return "0" + national[:2] + " " + national[2:5] + " " + national[5:]
        if r < 0.7:
            return "0" + national[:2] + "/" + national[2:]
    if r < 0.5:
        return f"+{e164cc} {national[:2]} {national[2:]}"
    return f"00{e164cc}{national}"


CCOUNTRY = {v: k for k, v in CC.items()}
MOBILE = {
    "43": "664",
    "36": "30",
    "381": "64",
    "359": "88",
    "40": "72",
    "49": "151",
    "385": "91",
    "386": "41",
    "389": "70",
    "41": "79",
    "90": "532",
    "93": "70",
    "92": "300",
}


def national_number(cc):
    pre = MOBILE[cc]
    return pre + "".join(rng.choice("0123456789") for _ in range(7 if cc != "49" else 8))


records, truth = [], {}


def emit(agency, identity, schema, props):
    rid = f"{agency.lower()}-{len(records):05d}"
    records.append(
        {
            "id": rid,
            "schema": schema,
            "properties": {k: v for k, v in props.items() if v},
            "datasets": [agency],
        }
    )
    truth[rid] = identity
    return rid


# Agencies that report a passport as a Passport entity naming its holder, half the time. Its own
# random stream, so that every other record of a seed is written as before.
PASSPORTS_APART = ("AT", "DE")
apart = random.Random(ARGS.seed + 1_000_000)
people = []


def new_person(given=None, family=None, father=None, dob=None, nat=None, gender=None):
    if given is None:
        balkan = rng.random() < 0.3
        pool_g = [g for g in GIVEN if (g in BALKAN_G) == balkan]
        given = rng.choice(pool_g)
        family = rng.choice([f for f in FAMILY if (f in BALKAN_F) == balkan])
    balkan = given in BALKAN_G
    if nat is None:
        nat = (
            rng.choice(["RS", "BG", "RO", "HU", "XK", "BA"])
            if balkan
            else rng.choice(["AF", "PK", "SY", "MA", "IQ", "TR"])
        )
    if father is None and not balkan and rng.random() < 0.5:
        father = rng.choice([g for g in GIVEN if g not in BALKAN_G and g not in FEMALE])
    if dob is None:
        y = rng.randint(1965, 2007)
        m = rng.randint(1, 12)
        d = rng.randint(1, 28)
        dob = (y, m, d)
    g = gender or ("female" if given in FEMALE else "male")
    p = dict(
        given=given,
        family=family,
        father=father,
        dob=dob,
        nat=nat,
        gender=g,
        balkan=balkan,
        passport=rng.choice("ABCPN")
        + "".join(rng.choice("0123456789") for _ in range(rng.choice((7, 8)))),
        phone=None,
    )
    if rng.random() < 0.5:
        cc = rng.choice(list(MOBILE))
        p["phone"] = (cc, national_number(cc))
    people.append(p)
    return p


def report_person(p, agency, identity):
    g, f = write_name(agency, GIVEN[p["given"]], FAMILY[p["family"]], p["balkan"])
    # A passport's zone: a romanisation, upper case, without diacritics.
    given = rng.choice([x for x in GIVEN[p["given"]] if romanised(x)] or GIVEN[p["given"]])
    family = rng.choice([x for x in FAMILY[p["family"]] if romanised(x)] or FAMILY[p["family"]])
    props = {}
    r = rng.random()
    fath = None
    if p["father"] and rng.random() < 0.5:
        fath = write_name(agency, GIVEN[p["father"]], ["x"], False)[0]
    if agency == "AT" and rng.random() < 0.3:  # passport MRZ
        props["name"] = [
            f"{ascii_fold(family).upper().replace(' ', '<').replace('-', '<')}<<{ascii_fold(given).upper().replace(' ', '<')}"
        ]
    elif r < 0.35:
        props["firstName"] = [g]
        props["lastName"] = [f]
        if fath:
            props["fatherName"] = [fath]
    elif r < 0.6:
        props["name"] = [f"{f} {g}"] if rng.random() < 0.5 else [f"{f.upper()} {g}"]
    else:
        props["name"] = [f"{g} {fath} {f}" if fath and rng.random() < 0.5 else f"{g} {f}"]
    y, m, d = p["dob"]
    rr = rng.random()
    if rr < 0.07:
        props["birthDate"] = [str(y)]
    elif rr < 0.12 and d <= 12:
        props["birthDate"] = [fmt_date(agency, y, d, m)]  # swapped
    elif rr < 0.17:
        props["birthDate"] = [fmt_date(agency, y, 1, 1)]  # registration placeholder
    elif rr < 0.22:
        pass
    else:
        props["birthDate"] = [fmt_date(agency, y, m, d)]
    if rng.random() < 0.8:
        props["nationality"] = [rng.choice(NAT[p["nat"]])]
    if rng.random() < 0.6:
        props["gender"] = [p["gender"]]
    passport = None
    if rng.random() < 0.3:
        number = (
            p["passport"] if rng.random() < 0.7 else p["passport"][:1] + " " + p["passport"][1:]
        )
        if agency in PASSPORTS_APART and apart.random() < 0.5:
            passport = {"number": [number]}
            if "birthDate" not in props:  # the passport's page has it
                y, m, d = p["dob"]
                passport["birthDate"] = [f"{d:02d}.{m:02d}.{y}"]
        else:
            props["passportNumber"] = [number]
    if p["phone"] and rng.random() < 0.6:
        props["phone"] = [phone(agency, *p["phone"])]
    holder = emit(agency, identity, "Person", props)
    if passport is not None:
        emit(agency, f"{identity}/passport", "Passport", {**passport, "holder": [holder]})


n_ident = ARGS.identities
for i in range(n_ident):
    p = new_person()
    ident = f"P{i}"
    agencies = rng.sample(AGENCIES, rng.choice((1, 2, 2, 3, 3, 4)))
    for a in agencies:
        report_person(p, a, ident)
    # hard negatives
    r = rng.random()
    if r < 0.2:  # namesake with another birth date
        q = new_person(p["given"], p["family"], None, None, p["nat"])
        for a in rng.sample(AGENCIES, rng.choice((1, 2))):
            report_person(q, a, f"P{i}ns")
    elif r < 0.35:  # sibling: same family, same father, other given name, dob a few years apart
        others = [g for g in GIVEN if g != p["given"] and ((g in BALKAN_G) == p["balkan"])]
        y, m, d = p["dob"]
        q = new_person(
            rng.choice(others),
            p["family"],
            p["father"],
            (y + rng.choice((-3, -2, 2, 4)), rng.randint(1, 12), rng.randint(1, 28)),
            p["nat"],
        )
        q["phone"] = p["phone"] if rng.random() < 0.5 else q["phone"]
        for a in rng.sample(AGENCIES, rng.choice((1, 2))):
            report_person(q, a, f"P{i}sib")

# vehicles
PLATE = {
    "AT": lambda: (
        f"{rng.choice(['W', 'GU', 'L', 'S'])} {rng.randint(100, 99999)} {rng.choice('ABCDEFGHKLMNPRSTXYZ')}"
    ),
    "DE": lambda: (
        f"{rng.choice(['M', 'B', 'PA', 'RO'])}-{rng.choice('ABCEHKMNPRSTX')}{rng.choice('ABCEHKMNPRSTX')} {rng.randint(10, 9999)}"
    ),
    "HU": lambda: (
        f"{''.join(rng.choice('ABCEHKMNPRSTX') for _ in range(3))}-{rng.randint(100, 999)}"
    ),
    "RS": lambda: (
        f"{rng.choice(['BG', 'NS', 'SU', 'NI'])} {rng.randint(100, 9999)}-{rng.choice('ABCEHKMOPTX')}{rng.choice('ABCEHKMOPTX')}"
    ),
    "BG": lambda: (
        f"{rng.choice(['CA', 'CB', 'PB', 'H'])} {rng.randint(1000, 9999)} {rng.choice('ABCEHKMOPTX')}{rng.choice('ABCEHKMOPTX')}"
    ),
    "RO": lambda: (
        f"{rng.choice(['B', 'TM', 'CJ', 'AR'])} {rng.randint(10, 99)} {''.join(rng.choice('ABCEHKMNPRSTX') for _ in range(3))}"
    ),
    "HR": lambda: (
        f"{rng.choice(['ZG', 'ST', 'RI', 'OS'])} {rng.randint(100, 9999)}-{rng.choice('ABCEHKMNPRST')}{rng.choice('ABCEHKMNPRST')}"
    ),
    "SI": lambda: (
        f"{rng.choice(['LJ', 'MB', 'KR'])} {rng.choice('ABCEHKMNPRST')}{rng.choice('ABCEHKMNPRST')}-{rng.randint(100, 999)}"
    ),
    "MK": lambda: (
        f"{rng.choice(['SK', 'BT', 'KU'])} {rng.randint(1000, 9999)} {rng.choice('ABCEHKMOPTX')}{rng.choice('ABCEHKMOPTX')}"
    ),
    "CH": lambda: f"{rng.choice(['ZH', 'BE', 'TI', 'SG'])} {rng.randint(1000, 999999)}",
}
LAT2CYR = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
MISREAD = {
    "0": "O",
    "O": "0",
    "1": "I",
    "I": "1",
    "8": "B",
    "B": "8",
    "5": "S",
    "S": "5",
    "2": "Z",
    "Z": "2",
}
MODELS = [
    "Mercedes-Benz Sprinter",
    "VW Crafter",
    "Ford Transit",
    "Renault Master",
    "Fiat Ducato",
    "Opel Vivaro",
    "Skoda Octavia",
    "BMW 520d",
    "Audi A6",
    "Peugeot Boxer",
]


def write_plate(agency, plate, country):
    s = plate
    r = rng.random()
    if r < 0.25:
        s = s.replace(" ", "").replace("-", "")
    elif r < 0.4:
        s = s.replace(" ", "-")
    if agency in ("RS", "MK", "BG") and rng.random() < 0.5:
        s = s.translate(LAT2CYR)
    if rng.random() < 0.15:  # camera misread
        idx = [i for i, c in enumerate(s) if c in MISREAD]
        if idx:
            i = rng.choice(idx)
            s = s[:i] + MISREAD[s[i]] + s[i + 1 :]
    if rng.random() < 0.15:
        s = (
            {
                "AT": "A",
                "DE": "D",
                "HU": "H",
                "RS": "SRB",
                "BG": "BG",
                "RO": "RO",
                "HR": "HR",
                "SI": "SLO",
                "MK": "NMK",
                "CH": "CH",
            }[country]
            + " "
            + s
        )
    return s


n_veh = n_ident // 4
for i in range(n_veh):
    country = rng.choice(AGENCIES)
    plate = PLATE[country]()
    model = rng.choice(MODELS)
    ident = f"V{i}"
    for a in rng.sample(AGENCIES, rng.choice((1, 2, 2, 3))):
        props = {"registrationNumber": [write_plate(a, plate, country)]}
        if rng.random() < 0.7:
            props["country"] = [
                country.lower()
                if rng.random() < 0.5
                else {
                    "AT": "Austria",
                    "DE": "Germany",
                    "HU": "Hungary",
                    "RS": "Serbia",
                    "BG": "Bulgaria",
                    "RO": "Romania",
                    "HR": "Croatia",
                    "SI": "Slovenia",
                    "MK": "North Macedonia",
                    "CH": "Switzerland",
                }[country]
            ]
        if rng.random() < 0.7:
            props["model"] = [model if rng.random() < 0.6 else model.split()[-1]]
        emit(a, ident, "Vehicle", props)
    if rng.random() < 0.3:  # fleet: neighbouring plate, same model and country
        digits = [k for k, c in enumerate(plate) if c.isdigit()]
        k = digits[-1]
        other = plate[:k] + str((int(plate[k]) + rng.choice((1, 2, 3))) % 10) + plate[k + 1 :]
        for a in rng.sample(AGENCIES, rng.choice((1, 2))):
            emit(
                a,
                f"V{i}fleet",
                "Vehicle",
                {
                    "registrationNumber": [write_plate(a, other, country)],
                    "country": [country.lower()],
                    "model": [model],
                },
            )

rng.shuffle(records)
DATA.mkdir(parents=True, exist_ok=True)
path = DATA / f"otherwise-{n_ident}-{ARGS.seed}.jsonl"
with path.open("w", encoding="utf-8") as fh:
    for r in records:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
path.with_suffix(".truth.json").write_text(json.dumps(truth), encoding="utf-8")
print(f"{len(records)} records written to {path}, the truth beside it", file=sys.stderr)
out = path.with_suffix(".out.jsonl")
command = [sys.executable, "-m", "sirocco", "xmatch", "--quiet", "--out", str(out), str(path)]
subprocess.run(command, check=True)

from sirocco.evaluation import score_pairs  # noqa: E402

hits = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
matches = [(h["left"], h["right"]) for h in hits if h["decision"] == "match"]
agency = {r["id"]: r["datasets"][0] for r in records}
schema = {r["id"]: r["schema"] for r in records}
for group, found in sorted(score_pairs(matches, truth, agency, schema).items()):
    print(
        f"{group}: precision {found.precision:.3f} recall {found.recall:.3f} F1 {found.f1:.3f} "
        f"({found.true_positives} found, {found.false_positives} wrong, "
        f"{found.false_negatives} missed)"
    )
