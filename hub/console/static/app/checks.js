// NIK and KK checks as the user types: the same rules and the same messages as the hub
// (hub/people/identity.py, hub/cases/intake.py); tests/console compares both on many numbers.

const PROVINCE_CODES = new Set([11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
  61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94]);

function regionProblem(number, label) {
  const province = Number(number.slice(0, 2));
  if (!PROVINCE_CODES.has(province)) {
    return `${label} must start with a known province code (11–94), not ${number.slice(0, 2)}`;
  }
  if (number.slice(2, 4) === "00" || number.slice(4, 6) === "00") {
    return `${label} digits 3–6 must name a regency and district (not 00)`;
  }
  return null;
}

function plausibleDate(day, month, year2) {
  for (const century of [1900, 2000]) {
    const d = new Date(Date.UTC(century + year2, month - 1, day));
    if (d.getUTCFullYear() === century + year2 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day) return true;
  }
  return false;
}

// { facts, problem }: facts = { sex, day, month, year2 } of a valid NIK, else the hub's message.
export function checkNik(nik) {
  if (nik.length !== 16 || !/^[0-9]{16}$/.test(nik)) return { facts: null, problem: "NIK must be exactly 16 digits" };
  const region = regionProblem(nik, "NIK");
  if (region) return { facts: null, problem: region };
  let day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const year2 = Number(nik.slice(10, 12));
  const sex = day > 40 ? "F" : "M";
  if (sex === "F") day -= 40;
  if (!plausibleDate(day, month, year2)) {
    return { facts: null, problem: "NIK digits 7–12 must be a birth date DDMMYY (women add 40 to the day)" };
  }
  if (nik.slice(12) === "0000") return { facts: null, problem: "NIK serial (last 4 digits) must be 0001 or more" };
  return { facts: { sex, day, month, year2 }, problem: null };
}

export function checkKk(kk) {
  if (kk.length !== 16 || !/^[0-9]{16}$/.test(kk)) return "KK number must be exactly 16 digits";
  const region = regionProblem(kk, "KK number");
  if (region) return region;
  if (kk.slice(12) === "0000") return "KK number serial (last 4 digits) must be 0001 or more";
  return null;
}

// A member's problems by field, as the hub reports them for recordCase (birthDate "YYYY-MM-DD").
export function checkMember(member, today = new Date()) {
  const out = {};
  const { facts, problem } = checkNik(member.nik);
  if (problem) out.nik = problem;
  else {
    if (member.birthDate) {
      const [y, m, d] = member.birthDate.split("-").map(Number);
      if (!(d === facts.day && m === facts.month && y % 100 === facts.year2)) {
        out.birthDate = "Birth date does not agree with the NIK (digits 7–12)";
      }
    }
    if (member.sex && member.sex !== facts.sex) {
      out.sex = "Sex does not agree with the NIK (women have 40 added to the birth day)";
    }
  }
  if (member.birthDate && !out.birthDate && member.birthDate > today.toISOString().slice(0, 10)) {
    out.birthDate = "Birth date is in the future";
  }
  if (!member.name.trim()) out.name = "Name must not be empty";
  // Required by the hub's GraphQL input types (PersonInput), so checked here before sending.
  if (!member.birthDate && !out.birthDate) out.birthDate = "Birth date must not be empty";
  if (!member.sex && !out.sex) out.sex = "Sex must not be empty";
  return out;
}
