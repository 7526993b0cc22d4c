package health.crosswalk.audit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventSourceComponent;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Writes the AuditEvents {@link AuditEventFactory} builds as the JSON HAPI's parser
 * would, character for character, about ten times faster: the elements BALP records use,
 * in the order of their definition, with the parser's rules for what is empty and how a
 * reference is written. Any element it does not write (an extension, an element id, a
 * period, a contained resource, a local or versioned reference...) sends the whole event
 * to HAPI's parser instead, so nothing is ever left out. {@code AuditJsonTest} holds it
 * to HAPI's output for every shape the factory makes.
 */
final class AuditJson {

	private static final JsonFactory JSON = new JsonFactory();

	private final FhirContext fhir;

	AuditJson(FhirContext fhir) {
		this.fhir = fhir;
	}

	/**
	 * The event's JSON.
	 * @param event the event
	 * @return what HAPI's JSON parser writes for it, without pretty printing
	 */
	String write(AuditEvent event) {
		if (!writable(event)) {
			return this.fhir.newJsonParser().encodeResourceToString(event);
		}
		StringWriter out = new StringWriter(2560);
		try (JsonGenerator json = JSON.createGenerator(out)) {
			json.writeStartObject();
			json.writeStringField("resourceType", "AuditEvent");
			String id = event.getIdElement().getIdPart();
			if (id != null && !id.isBlank() && !event.getIdElement().getValue().startsWith("urn:")) {
				json.writeStringField("id", id);
			}
			coding(json, "type", event.getType());
			codings(json, "subtype", event.getSubtype());
			primitive(json, "action", event.getActionElement());
			primitive(json, "recorded", event.getRecordedElement());
			primitive(json, "outcome", event.getOutcomeElement());
			primitive(json, "outcomeDesc", event.getOutcomeDescElement());
			if (hasAny(event.getAgent())) {
				json.writeArrayFieldStart("agent");
				for (AuditEventAgentComponent agent : event.getAgent()) {
					if (!agent.isEmpty()) {
						agent(json, agent);
					}
				}
				json.writeEndArray();
			}
			source(json, event.getSource());
			if (hasAny(event.getEntity())) {
				json.writeArrayFieldStart("entity");
				for (AuditEventEntityComponent entity : event.getEntity()) {
					if (!entity.isEmpty()) {
						entity(json, entity);
					}
				}
				json.writeEndArray();
			}
			json.writeEndObject();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	private static void agent(JsonGenerator json, AuditEventAgentComponent agent) throws IOException {
		json.writeStartObject();
		codeableConcept(json, "type", agent.getType());
		if (hasAny(agent.getRole())) {
			json.writeArrayFieldStart("role");
			for (CodeableConcept role : agent.getRole()) {
				if (!role.isEmpty()) {
					codeableConcept(json, null, role);
				}
			}
			json.writeEndArray();
		}
		reference(json, "who", agent.getWho());
		primitive(json, "altId", agent.getAltIdElement());
		primitive(json, "name", agent.getNameElement());
		primitive(json, "requestor", agent.getRequestorElement());
		primitives(json, "policy", agent.getPolicy());
		AuditEventAgentNetworkComponent network = agent.getNetwork();
		if (!network.isEmpty()) {
			json.writeObjectFieldStart("network");
			primitive(json, "address", network.getAddressElement());
			primitive(json, "type", network.getTypeElement());
			json.writeEndObject();
		}
		json.writeEndObject();
	}

	private static void source(JsonGenerator json, AuditEventSourceComponent source) throws IOException {
		if (source.isEmpty()) {
			return;
		}
		json.writeObjectFieldStart("source");
		primitive(json, "site", source.getSiteElement());
		reference(json, "observer", source.getObserver());
		codings(json, "type", source.getType());
		json.writeEndObject();
	}

	private static void entity(JsonGenerator json, AuditEventEntityComponent entity) throws IOException {
		json.writeStartObject();
		reference(json, "what", entity.getWhat());
		coding(json, "type", entity.getType());
		coding(json, "role", entity.getRole());
		primitive(json, "description", entity.getDescriptionElement());
		primitive(json, "query", entity.getQueryElement());
		json.writeEndObject();
	}

	private static void reference(JsonGenerator json, String name, Reference reference) throws IOException {
		if (reference.isEmpty()) {
			return;
		}
		json.writeObjectFieldStart(name);
		if (!reference.getReferenceElement_().isEmpty()) {
			// As the parser writes it (BaseParser.determineReferenceText): without a
			// version; writable() sent local references and attached resources to it.
			IIdType target = reference.getReferenceElement();
			json.writeStringField("reference",
					target.hasIdPart() ? target.toVersionless().getValue() : reference.getReference());
		}
		primitive(json, "type", reference.getTypeElement());
		identifier(json, "identifier", reference.getIdentifier());
		primitive(json, "display", reference.getDisplayElement());
		json.writeEndObject();
	}

	private static void identifier(JsonGenerator json, String name, Identifier identifier) throws IOException {
		if (identifier.isEmpty()) {
			return;
		}
		json.writeObjectFieldStart(name);
		primitive(json, "use", identifier.getUseElement());
		codeableConcept(json, "type", identifier.getType());
		primitive(json, "system", identifier.getSystemElement());
		primitive(json, "value", identifier.getValueElement());
		json.writeEndObject();
	}

	private static void codeableConcept(JsonGenerator json, String name, CodeableConcept concept) throws IOException {
		if (concept.isEmpty()) {
			return;
		}
		if (name != null) {
			json.writeObjectFieldStart(name);
		}
		else {
			json.writeStartObject();
		}
		codings(json, "coding", concept.getCoding());
		primitive(json, "text", concept.getTextElement());
		json.writeEndObject();
	}

	private static void codings(JsonGenerator json, String name, List<Coding> codings) throws IOException {
		if (!hasAny(codings)) {
			return;
		}
		json.writeArrayFieldStart(name);
		for (Coding coding : codings) {
			if (!coding.isEmpty()) {
				json.writeStartObject();
				codingFields(json, coding);
				json.writeEndObject();
			}
		}
		json.writeEndArray();
	}

	private static void coding(JsonGenerator json, String name, Coding coding) throws IOException {
		if (coding.isEmpty()) {
			return;
		}
		json.writeObjectFieldStart(name);
		codingFields(json, coding);
		json.writeEndObject();
	}

	private static void codingFields(JsonGenerator json, Coding coding) throws IOException {
		primitive(json, "system", coding.getSystemElement());
		primitive(json, "version", coding.getVersionElement());
		primitive(json, "code", coding.getCodeElement());
		primitive(json, "display", coding.getDisplayElement());
		primitive(json, "userSelected", coding.getUserSelectedElement());
	}

	private static void primitives(JsonGenerator json, String name, List<? extends PrimitiveType<?>> values)
			throws IOException {
		if (!hasAny(values)) {
			return;
		}
		json.writeArrayFieldStart(name);
		for (PrimitiveType<?> value : values) {
			if (!value.isEmpty()) {
				json.writeString(value.getValueAsString());
			}
		}
		json.writeEndArray();
	}

	private static void primitive(JsonGenerator json, String name, PrimitiveType<?> value) throws IOException {
		if (value == null || value.isEmpty()) {
			return;
		}
		if (value instanceof BooleanType bool) {
			json.writeBooleanField(name, bool.booleanValue());
		}
		else {
			json.writeStringField(name, value.getValueAsString());
		}
	}

	private static boolean hasAny(List<? extends Base> values) {
		for (Base value : values) {
			if (!value.isEmpty()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether every element of the event that is not empty is one this writer writes, and
	 * none carries an extension or an element id.
	 */
	static boolean writable(AuditEvent event) {
		if (event.hasMeta() || event.hasText() || event.hasContained() || event.hasExtension()
				|| event.hasModifierExtension() || event.hasImplicitRules() || event.hasLanguage()
				|| event.getIdElement().hasVersionIdPart() || event.hasPeriod() || event.hasPurposeOfEvent()
				|| !plain(event.getType()) || !plainCodings(event.getSubtype()) || !plain(event.getActionElement())
				|| !plain(event.getRecordedElement()) || !plain(event.getOutcomeElement())
				|| !plain(event.getOutcomeDescElement())) {
			return false;
		}
		for (AuditEventAgentComponent agent : event.getAgent()) {
			if (!plain(agent) || agent.hasModifierExtension() || agent.hasLocation() || agent.hasMedia()
					|| agent.hasPurposeOfUse() || !plain(agent.getType()) || !plainConcepts(agent.getRole())
					|| !plain(agent.getWho()) || !plain(agent.getAltIdElement()) || !plain(agent.getNameElement())
					|| !plain(agent.getRequestorElement()) || !plainPrimitives(agent.getPolicy())
					|| !plain(agent.getNetwork()) || !plain(agent.getNetwork().getAddressElement())
					|| !plain(agent.getNetwork().getTypeElement())) {
				return false;
			}
		}
		AuditEventSourceComponent source = event.getSource();
		if (!plain(source) || source.hasModifierExtension() || !plain(source.getSiteElement())
				|| !plain(source.getObserver()) || !plainCodings(source.getType())) {
			return false;
		}
		for (AuditEventEntityComponent entity : event.getEntity()) {
			if (!plain(entity) || entity.hasModifierExtension() || entity.hasLifecycle() || entity.hasSecurityLabel()
					|| entity.hasName() || entity.hasDetail() || !plain(entity.getWhat()) || !plain(entity.getType())
					|| !plain(entity.getRole()) || !plain(entity.getDescriptionElement())
					|| !plain(entity.getQueryElement())) {
				return false;
			}
		}
		return true;
	}

	private static boolean plain(Reference reference) {
		if (reference.isEmpty()) {
			return true;
		}
		if (reference.getResource() != null || !plainElement(reference)
				|| !plainElement(reference.getReferenceElement_()) || !plainElement(reference.getTypeElement())
				|| !plainElement(reference.getDisplayElement())) {
			return false;
		}
		String value = reference.getReference();
		if (value != null && value.startsWith("#")) {
			return false;
		}
		Identifier identifier = reference.getIdentifier();
		return identifier.isEmpty() || (plainElement(identifier) && !identifier.hasPeriod() && !identifier.hasAssigner()
				&& plain(identifier.getType()) && plainElement(identifier.getUseElement())
				&& plainElement(identifier.getSystemElement()) && plainElement(identifier.getValueElement()));
	}

	private static boolean plain(CodeableConcept concept) {
		return concept.isEmpty() || (plainElement(concept) && plainCodings(concept.getCoding())
				&& plainElement(concept.getTextElement()));
	}

	private static boolean plainConcepts(List<CodeableConcept> concepts) {
		for (CodeableConcept concept : concepts) {
			if (!plain(concept)) {
				return false;
			}
		}
		return true;
	}

	private static boolean plain(Coding coding) {
		return coding.isEmpty() || (plainElement(coding) && plainElement(coding.getSystemElement())
				&& plainElement(coding.getVersionElement()) && plainElement(coding.getCodeElement())
				&& plainElement(coding.getDisplayElement()) && plainElement(coding.getUserSelectedElement()));
	}

	private static boolean plainCodings(List<Coding> codings) {
		for (Coding coding : codings) {
			if (!plain(coding)) {
				return false;
			}
		}
		return true;
	}

	private static boolean plainPrimitives(List<? extends PrimitiveType<?>> values) {
		for (PrimitiveType<?> value : values) {
			if (!plain(value)) {
				return false;
			}
		}
		return true;
	}

	private static boolean plain(Element element) {
		return element == null || plainElement(element);
	}

	private static boolean plainElement(Element element) {
		return !element.hasId() && !element.hasExtension();
	}

}
