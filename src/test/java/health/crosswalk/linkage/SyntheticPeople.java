package health.crosswalk.linkage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded generator of labelled synthetic people, each with one to three records as
 * different hospitals would keep them: typos, nicknames, married names, moves, missing
 * fields, keying errors in birth dates, national ids on some records, and twins who share
 * everything but their given name and national id.
 */
final class SyntheticPeople {

	static final String SSN = "http://hl7.org/fhir/sid/us-ssn";

	private static final String[] FEMALE = { "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan",
			"jessica", "sarah", "karen", "nancy", "lisa", "margaret", "sandra", "ashley", "emily", "donna", "michelle",
			"carol", "amanda", "melissa", "deborah", "stephanie", "rebecca", "laura", "sharon", "cynthia", "kathleen",
			"amy", "angela", "adaeze", "ngozi", "priya", "mei", "fatima", "olga", "sofia", "chloe" };

	private static final String[] MALE = { "james", "robert", "john", "michael", "david", "william", "richard",
			"joseph", "thomas", "charles", "christopher", "daniel", "matthew", "anthony", "mark", "donald", "steven",
			"paul", "andrew", "joshua", "kenneth", "kevin", "brian", "george", "edward", "ronald", "timothy", "jason",
			"jeffrey", "ryan", "chidi", "kofi", "arjun", "wei", "omar", "ivan", "mateo", "liam" };

	private static final String[] NICK = { "bob", "bill", "liz", "kate", "jim", "mike", "dave", "tom", "rick", "peggy",
			"sue", "jenny", "chris", "dan", "joe", "tony", "matt", "andy", "steve", "ed", "becky", "debbie",
			"charlie" };

	private static final String[] NICK_OF = { "robert", "william", "elizabeth", "katherine", "james", "michael",
			"david", "thomas", "richard", "margaret", "susan", "jennifer", "christopher", "daniel", "joseph", "anthony",
			"matthew", "andrew", "steven", "edward", "rebecca", "deborah", "charles" };

	private static final String[] FAMILY = { "smith", "johnson", "williams", "brown", "jones", "garcia", "miller",
			"davis", "rodriguez", "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas",
			"taylor", "moore", "jackson", "martin", "lee", "perez", "thompson", "white", "harris", "sanchez", "clark",
			"ramirez", "lewis", "robinson", "walker", "young", "allen", "king", "wright", "scott", "torres", "nguyen",
			"hill", "flores", "okafor", "mensah", "patel", "chen", "kowalski", "ivanova", "silva", "schmidt", "murphy",
			"oconnor", "adeyemi", "nakamura", "haddad", "larsen", "novak", "rossi", "dubois", "kim", "singh",
			"obrien" };

	private SyntheticPeople() {
	}

	record Record(int person, Demographics demographics) {
	}

	static List<Record> generate(long seed, int people) {
		Random random = new Random(seed);
		List<Record> records = new ArrayList<>();
		int id = 0;
		while (id < people) {
			Person person = Person.random(random, id++);
			int copies = 1 + ((random.nextDouble() < 0.6) ? 1 : 0) + ((random.nextDouble() < 0.25) ? 1 : 0);
			records.add(new Record(person.id, person.record(random, false)));
			for (int i = 1; i < copies; i++) {
				records.add(new Record(person.id, person.record(random, true)));
			}
			if (random.nextDouble() < 0.03 && id < people) {
				Person twin = person.twin(random, id++);
				records.add(new Record(twin.id, twin.record(random, false)));
				if (random.nextDouble() < 0.5) {
					records.add(new Record(twin.id, twin.record(random, true)));
				}
			}
		}
		return records;
	}

	private static String pick(Random random, String[] names) {
		return names[random.nextInt(names.length)];
	}

	private static String typo(Random random, String name) {
		if (name.length() < 4) {
			return name;
		}
		char[] chars = name.toCharArray();
		int i = 1 + random.nextInt(chars.length - 2);
		if (random.nextBoolean()) {
			char c = chars[i];
			chars[i] = chars[i + 1];
			chars[i + 1] = c;
		}
		else {
			chars[i] = (char) ('a' + random.nextInt(26));
		}
		return new String(chars);
	}

	private record Person(int id, String given, String family, LocalDate birthDate, String gender, String postal,
			String phone, String email, String ssn) {

		static Person random(Random random, int id) {
			boolean female = random.nextBoolean();
			String given = female ? pick(random, FEMALE) : pick(random, MALE);
			String family = pick(random, FAMILY);
			LocalDate birthDate = LocalDate.of(1930 + random.nextInt(90), 1 + random.nextInt(12),
					1 + random.nextInt(28));
			return new Person(id, given, family, birthDate, female ? "female" : "male", postal(random), phone(random),
					(random.nextDouble() < 0.6) ? given + "." + family + random.nextInt(100) + "@example.org" : null,
					String.format("%03d-%02d-%04d", random.nextInt(900), random.nextInt(100), random.nextInt(10000)));
		}

		Person twin(Random random, int twinId) {
			String[] pool = "female".equals(this.gender) ? FEMALE : MALE;
			String other = this.given;
			while (other.equals(this.given) || Nicknames.sameName(other, this.given)) {
				other = pick(random, pool);
			}
			String ssn = String.format("%03d-%02d-%04d", random.nextInt(900), random.nextInt(100),
					random.nextInt(10000));
			return new Person(twinId, other, this.family, this.birthDate, this.gender, this.postal, this.phone, null,
					ssn);
		}

		Demographics record(Random random, boolean perturbed) {
			String given = this.given;
			String family = this.family;
			List<String> families = new ArrayList<>();
			LocalDate birthDate = this.birthDate;
			String postal = this.postal;
			String phone = this.phone;
			String email = this.email;
			if (perturbed) {
				if (random.nextDouble() < 0.1) {
					family = typo(random, family);
				}
				if (random.nextDouble() < 0.1) {
					given = typo(random, given);
				}
				else if (random.nextDouble() < 0.1) {
					for (int i = 0; i < NICK_OF.length; i++) {
						if (NICK_OF[i].equals(given)) {
							given = NICK[i];
						}
					}
				}
				if ("female".equals(this.gender) && random.nextDouble() < 0.1) {
					String married = pick(random, FAMILY);
					if (random.nextBoolean()) {
						families.add(married);
					}
					else {
						families.add(married);
						families.add(family);
					}
				}
				if (random.nextDouble() < 0.2) {
					postal = postal(random);
					phone = phone(random);
				}
				if (random.nextDouble() < 0.03) {
					birthDate = (birthDate.getDayOfMonth() <= 12 && random.nextBoolean())
							? LocalDate.of(birthDate.getYear(), birthDate.getDayOfMonth(), birthDate.getMonthValue())
							: birthDate.plusDays(random.nextBoolean() ? 1 : -1);
				}
				phone = (random.nextDouble() < 0.2) ? null : phone;
				email = (random.nextDouble() < 0.3) ? null : email;
				postal = (random.nextDouble() < 0.1) ? null : postal;
			}
			if (families.isEmpty()) {
				families.add(family);
			}
			Set<String> trusted = (random.nextDouble() < 0.3) ? Set.of(SSN + "|" + this.ssn) : Set.of();
			return new Demographics(List.copyOf(families), List.of(given), birthDate, this.gender, postal, phone, email,
					trusted);
		}

		private static String postal(Random random) {
			return String.format("%05d", random.nextInt(100000));
		}

		private static String phone(Random random) {
			return String.format("617555%04d", random.nextInt(10000));
		}

	}

}
