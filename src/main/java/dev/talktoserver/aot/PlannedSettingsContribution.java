package dev.talktoserver.aot;

import java.util.List;

import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ByteArrayResource;

/**
 * Once Spring AOT has planned the beans, writes the settings read meanwhile, with their values, into
 * the build's generated resources ({@link PlannedSettings#RESOURCE}), so that they travel in the jar
 * with the plan.
 */
class PlannedSettingsContribution implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		ConfigurableEnvironment environment = beanFactory.getBean(ConfigurableEnvironment.class);
		if (!(environment.getPropertySources()
			.get(SettingsReadWhilePlanning.NAME) instanceof SettingsReadWhilePlanning read)) {
			return null;
		}
		PlannedSettings planned = PlannedSettings.of(List.copyOf(read.getSource()), environment);
		return (generationContext, code) -> generationContext.getGeneratedFiles()
			.addResourceFile(PlannedSettings.RESOURCE, new ByteArrayResource(planned.toBytes()));
	}

}
