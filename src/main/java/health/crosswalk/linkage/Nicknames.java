package health.crosswalk.linkage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Common English given-name variants, so that Bob and Robert compare as the same name.
 */
final class Nicknames {

	private static final Map<String, String> CANONICAL = new HashMap<>();

	static {
		add("robert", "bob", "rob", "robbie", "bobby", "bert");
		add("william", "bill", "will", "willy", "billy", "liam");
		add("elizabeth", "liz", "beth", "eliza", "betty", "lizzie", "libby");
		add("katherine", "kate", "kathy", "katie", "kat", "catherine", "kathryn");
		add("james", "jim", "jimmy", "jamie");
		add("john", "jack", "johnny", "jon");
		add("michael", "mike", "mick", "mikey");
		add("david", "dave", "davey");
		add("thomas", "tom", "tommy");
		add("richard", "rick", "dick", "rich", "ricky");
		add("margaret", "maggie", "peggy", "meg", "marge");
		add("susan", "sue", "susie", "suzanne");
		add("jennifer", "jen", "jenny");
		add("christopher", "chris", "kit");
		add("alexander", "alex", "sasha", "sandy");
		add("samuel", "sam", "sammy");
		add("benjamin", "ben", "benny");
		add("daniel", "dan", "danny");
		add("joseph", "joe", "joey");
		add("anthony", "tony");
		add("nicholas", "nick", "nicky");
		add("matthew", "matt");
		add("andrew", "andy", "drew");
		add("steven", "steve", "stephen");
		add("edward", "ed", "eddie", "ted", "ned");
		add("patricia", "pat", "patty", "trish");
		add("deborah", "deb", "debbie");
		add("rebecca", "becky", "becca");
		add("victoria", "vicky", "tori");
		add("charles", "charlie", "chuck");
		add("anne", "ann", "annie");
		add("jessica", "jess", "jessie");
	}

	private Nicknames() {
	}

	private static void add(String canonical, String... variants) {
		CANONICAL.put(canonical, canonical);
		for (String variant : List.of(variants)) {
			CANONICAL.put(variant, canonical);
		}
	}

	static boolean sameName(String a, String b) {
		String left = CANONICAL.get(a);
		return left != null && left.equals(CANONICAL.get(b));
	}

}
