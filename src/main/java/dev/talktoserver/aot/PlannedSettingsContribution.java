package dev.talktoserver.aot;

import java.util.List;

import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ByteArrayResource;

/**
 * Once Spring AOT has planned the beans, writes the settings read meanwhile, with their values, into
 * the build's generated resources ({@link PlannedSettings#RESOURCE}), so that they travel in the jar
 * with the plan. A management context of its own (a management port) is planned too, through the same
 * source of settings: its contribution writes the file again, with its settings added.
 */
class PlannedSettingsContribution implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		ConfigurableEnvironment environment = beanFactory.getBean(ConfigurableEnvironment.class);
		if (!(environment.getPropertySources()
			.get(SettingsReadWhilePlanning.NAME) instanceof SettingsReadWhilePlanning read)) {
			return null;
		}
		// Taken when the file is written: a management context of its own is planned meanwhile, and its
		// settings are read through the same source. Both contexts write; the last, fullest, stays.
		return (generationContext, code) -> {
			PlannedSettings planned = PlannedSettings.of(List.copyOf(read.getSource()), environment);
			generationContext.getGeneratedFiles()
				.handleFile(Kind.RESOURCE, PlannedSettings.RESOURCE,
						(file) -> file.override(new ByteArrayResource(planned.toBytes())));
		};
	}

}
