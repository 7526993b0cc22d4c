package health.crosswalk.limits;

import health.crosswalk.server.Outcomes;

/**
 * Reads the value of a {@code near} search
 * ({@code Location?near=latitude|longitude|distance|units}) before HAPI does: HAPI 8.8
 * fails with a 500 on a value of the wrong shape ({@code near=abc}) or a negative
 * distance, and searches with latitudes and longitudes no place has. The units, when
 * given, are HAPI's to check (it answers 400 to one it cannot convert to km).
 */
final class NearValues {

	private NearValues() {
	}

	/**
	 * What is wrong with one value of {@code near}, which may list several positions
	 * separated by commas (any of them matches).
	 * @param value the value as decoded from the query
	 * @return the problem, or null when HAPI can search with it
	 */
	static String problem(String value) {
		for (String position : value.split(",", -1)) {
			String problem = problemOfPosition(position);
			if (problem != null) {
				return "The near value '" + Outcomes.quote(value) + "' " + problem;
			}
		}
		return null;
	}

	private static String problemOfPosition(String position) {
		String[] parts = position.split("\\|", -1);
		if (parts.length < 2 || parts.length > 4) {
			return "is not latitude|longitude, latitude|longitude|distance or latitude|longitude|distance|units.";
		}
		Double latitude = decimal(parts[0]);
		if (latitude == null || latitude < -90 || latitude > 90) {
			return "has no latitude in decimal degrees from -90 to 90 before its first '|'.";
		}
		Double longitude = decimal(parts[1]);
		if (longitude == null || longitude < -180 || longitude > 180) {
			return "has no longitude in decimal degrees from -180 to 180 after its first '|'.";
		}
		if (parts.length > 2 && !parts[2].isBlank()) {
			Double distance = decimal(parts[2]);
			if (distance == null || distance < 0) {
				return "has a distance that is not a number of 0 or more.";
			}
		}
		return null;
	}

	private static Double decimal(String text) {
		try {
			double value = Double.parseDouble(text.strip());
			return Double.isFinite(value) ? value : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
